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
