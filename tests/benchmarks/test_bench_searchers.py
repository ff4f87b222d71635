"""benchmarks/bench_searchers.py: runs are merged as they finish, atomically, seed by seed."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as bs  # noqa: E402


def test_parse_seeds_ranges_and_lists():
    assert bs.parse_seeds("0-2,7,100-101") == [0, 1, 2, 7, 100, 101]


def test_an_interrupted_run_keeps_the_runs_it_finished(tmp_path, monkeypatch):
    monkeypatch.setattr(bs, "RAW", tmp_path)
    real, done = bs.run_one, []

    def run_one(task):
        if len(done) == 13:
            raise KeyboardInterrupt  # the user stops the benchmark after 13 runs
        done.append(task)
        return real(task)

    monkeypatch.setattr(bs, "run_one", run_one)
    with pytest.raises(KeyboardInterrupt):
        bs.run_bench("nb201", ["random"], [0, 1, 2, 3, 4], 1, False)
    recs = json.loads((tmp_path / "nb201.json").read_text())
    assert len(recs) == 10  # merged every 10 runs: the first ten survive
    assert sorted({r["seed"] for r in recs}) == [0, 1, 2, 3]  # seed-major order
    assert not list(tmp_path.glob("*.tmp"))  # the write was atomic
    # a second invocation adds the rest; re-runs replace, never duplicate
    monkeypatch.setattr(bs, "run_one", real)
    bs.run_bench("nb201", ["random"], [3, 4], 1, False)
    recs = json.loads((tmp_path / "nb201.json").read_text())
    assert len(recs) == 15
    assert len({(r["problem"], r["seed"]) for r in recs}) == 15


def test_distinct_network_rows_run_only_where_the_space_canonicalizes(monkeypatch):
    from ednag_opt.spaces import get_space

    monkeypatch.setattr(bs, "_CTX", {"nb": {"space": get_space("nas-bench-201")},
                                     "macro": {"space": get_space("transnas-macro")}})
    assert bs.METHODS[bs.NET_DEFAULT] == ("ednag", {"distinct": "networks"})
    assert bs.METHODS["TPE + distinct networks"] == ("tpe", {"distinct": "networks"})
    assert bs.applies("nb", bs.NET_DEFAULT) and bs.applies("macro", "ednag default")
    assert not bs.applies("macro", bs.NET_DEFAULT)
    assert not any(bs.applies("macro", b) for b in bs.NET_BASELINES)


def test_derived_rows_take_the_other_return_rule():
    base = {"bench": "nb201-noisy", "problem": "cifar10", "seed": 0, "origins": {}}
    mine = {**base, "method": bs.NET_DEFAULT, "at": {"50": "model"}, "at_best": {"50": "best"}}
    rea = {**base, "method": "REA + distinct networks", "at": {"50": "best"},
           "at_model": {"50": "model"}}
    assert [(d["method"], d["at"]) for d in bs.derived(mine)] == [(bs.NET_BEST, {"50": "best"})]
    assert [(d["method"], d["at"]) for d in bs.derived(rea)] == [
        ("REA + distinct networks + model recommendation", {"50": "model"})]
    assert bs.ORDER.index(bs.NET_BEST) == bs.ORDER.index(bs.NET_DEFAULT) + 1


def test_show_counts_the_cells_of_the_row_asked_for(tmp_path, capsys):
    def rec(method, seed, q):
        return {"bench": "nb201", "problem": "cifar10", "method": method, "seed": seed,
                "q_opt": q, "at": {"1000": {"report": 0.0}}, "origins": {}}

    recs = [rec(m, s, q + s) for s in range(5) for m, q in (
        ("ednag default", 60), (bs.NET_DEFAULT, 30), ("REA", 50), ("REA + distinct networks", 20))]
    path = tmp_path / "nb201.json"
    path.write_text(json.dumps(recs))
    bs.show(path)
    out = capsys.readouterr().out
    assert "against baselines as run (run: REA): 0 of 1" in out  # 62 vs 52
    assert "against baselines + distinct networks (run: REA + distinct networks): 0 of 1" in out
    bs.show(path, seeds=[0, 1, 2], default=bs.NET_DEFAULT)
    out = capsys.readouterr().out
    assert "seeds 0..2 (3)" in out
    assert "against baselines as run (run: REA): 1 of 1" in out  # 31 vs 51
    assert "distinct networks (run: REA + distinct networks): 0 of 1" in out  # 31 vs 21


def test_a_capped_run_reports_only_budgets_within_the_cap(tmp_path, monkeypatch):
    with pytest.raises(SystemExit, match="--out"):
        bs.main(["--bench", "nb201", "--budget", "50"])  # never into results/search
    monkeypatch.setattr(bs, "RAW", tmp_path)
    recs = bs.run_bench("transnas", ["random", bs.NET_DEFAULT], [0], 1, False,
                        ["class_scene"], budget=60)  # fmt: skip
    assert {(r["problem"], r["method"]) for r in recs} == {
        ("micro/class_scene", "random"), ("macro/class_scene", "random"),
        ("micro/class_scene", bs.NET_DEFAULT)}  # no network rows on macro
    assert all(set(r["at"]) == {"50"} and r["unique"] == 50 for r in recs)  # 50 <= 60 < 100


def test_diffusion_share_counts_ddim_and_renoised_draws_not_repairs():
    from _search_report import _share

    recs = [{"origins": {"diffusion": 1, "renoise": 2, "repair": 1}},
            {"origins": {"start": 4}}]  # fmt: skip
    assert _share(recs) == "38%"  # 3 of 8 new queries
    assert _share([{"origins": {"repair": 3}}]) == "0%"
    assert _share([{"origins": {}}]) == "-"  # a baseline: no labels


def test_the_doc_keeps_the_cells_of_a_benchmark_without_raw_runs(tmp_path):
    from _search_report import kept_cells

    doc = tmp_path / "doc.md"
    doc.write_text("<!-- BEGIN summary -->\nDefault vs ...\n\n| cell | default |\n|---|---|\n"
                   "| nb201 cifar10 @q | loss |\n| ofa acc @1000 | win |\n"
                   "| ofa acc@25ms @10000 | loss |\n<!-- END summary -->\n")  # fmt: skip
    assert kept_cells("ofa", doc) == [("ofa acc @1000", "win"), ("ofa acc@25ms @10000", "loss")]
    assert kept_cells("transnas", doc) == []
    assert kept_cells("ofa", tmp_path / "missing.md") == []
