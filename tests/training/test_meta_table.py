"""The meta-table script on a tiny run, and the committed table's format."""

from __future__ import annotations

import csv
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load_script():
    spec = importlib.util.spec_from_file_location(
        "make_meta_table", ROOT / "benchmarks/make_meta_table.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    lines = path.read_text().splitlines()
    header = [ln for ln in lines if ln.startswith("#")]
    rows = list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))
    return header, rows


def test_tiny_run(tmp_path: Path) -> None:
    mod = _load_script()
    out = tmp_path / "t.csv"
    argv = ["--cells", "2", "--epochs", "1", "--min-steps", "3", "--tasks", "digits_1v7"]
    assert mod.main([*argv, "--output", str(out)]) == 0
    header, rows = _read(out)
    assert any(h.startswith("# command:") for h in header)
    assert any("finished: 2 cells" in h for h in header)
    assert [r["task"] for r in rows] == ["digits_1v7"] * 2
    assert set(rows[0]) == set(mod.COLUMNS)
    assert len(set(mod.sample_cells(50, 0))) == 50
    report = mod.summarize(out)
    assert report[0].startswith("2 rows, 1 tasks, 2 cells") and report[2].startswith("digits_1v7")
    assert mod.compare(out, out)[1].startswith("digits_1v7: 2 cells")


def test_committed_table_format() -> None:
    path = ROOT / "src/ednag_opt/data/meta/nb201_digits_meta.csv"
    if not path.is_file():
        return
    header, rows = _read(path)
    assert any(h.startswith("# command:") for h in header)
    assert rows and {"task", "arch", "val_acc", "test_acc", "train_time", "params"} <= set(rows[0])
    assert all(0.0 <= float(r["val_acc"]) <= 1.0 for r in rows)
