"""The device options of benchmarks/bench_overhead.py and bench_transfer.py: a row that fails
(no CUDA, out of memory) is reported and the run goes on; rows reach disk as they come; the
transfer table has one row per (task, method, device)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pytest
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_overhead as bo  # noqa: E402
import bench_transfer as bt  # noqa: E402


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks a failing device row")
def test_a_failing_device_row_is_reported_and_the_others_are_kept(tmp_path, one_thread):
    out = tmp_path / "rows.json"
    args = argparse.Namespace(methods="ours", sizes="8x3,8x4", reps=2, warmup=0, rounds=1,
                              device="cpu", cma_max_seconds=1.0, json=str(out))  # fmt: skip
    rows = bo.time_rows(args)
    assert [(r["n"], r["d"], r["device"]) for r in rows] == [(8, 3, "cpu"), (8, 4, "cpu")]
    assert len(json.loads(Path(f"{out}.partial").read_text())) == 2  # written as they came
    args.device = "cuda"
    failed = bo.time_rows(args)
    assert len(failed) == 2 and all("CUDA is not available" in r["error"] for r in failed)
    table = bo.render(rows + failed)
    assert table.count("failed: ValueError") == 2 and "| 8 | 3 | ednag (torch) | " in table


def test_devices_table_has_a_row_per_task_method_and_device(tmp_path):
    (tmp_path / "priors_nb201_cuda.json").write_text(
        json.dumps({"cifar10": {"transfer": [["p.pt", 2.0], ["q.pt", 4.0]]}}))  # fmt: skip

    def rec(dev: str, q: int | None, fit: float) -> dict:
        return {"task": "cifar10", "method": "transfer", "device": dev, "q": q, "rounds": 2,
                "fit_time": fit, "search_time": 1.0, "wall": 3.0}  # fmt: skip

    recs = [rec("cuda", 3, 0.2), rec("cuda", None, 0.2), rec("cpu", 5, 1.0)]
    text = bt.devices_table(recs, ["cuda", "cpu"], 100, bt.tasks_of("nb201"), tmp_path, "nb201")
    lines = [ln for ln in text.splitlines() if ln.startswith("| cifar10")]
    assert lines == ["| cifar10 | transfer | cuda | >100 | 1/2 | 0.100 | 0.500 | 3.00 |",
                     "| cifar10 | transfer | cpu | 5 | 1/1 | 0.500 | 0.500 | 3.00 |"]  # fmt: skip
    assert "cuda: 3.0 s per model; cpu: -" in text


def test_transfer_criteria_counts_budget_misses_and_skips_old_runs(tmp_path):
    import transfer_criteria as tc

    def rec(method: str, seed: int, best: float, q: int | None, v: int | None = 2) -> str:
        r = {"task": "t", "method": method, "seed": seed, "opt": 1.0, "q": q,
             "best": {"10": best, "30": best, "100": None}}  # fmt: skip
        if v is not None:
            r["v"] = v
        return json.dumps(r)

    lines = [rec("transfer", s, 0.5, 20) for s in range(3)]
    lines += [rec("REA", s, 0.6 if s else 0.4, None) for s in range(3)]  # median 0.6 > 0.5
    lines += [rec("TPE", s, 0.4, None) for s in range(3)]
    lines += [rec("blind twin", s, 0.4, None, v=None) for s in range(3)]  # earlier adaptation
    (tmp_path / "runs_p.jsonl").write_text("\n".join(lines))
    by = tc.load("p", tmp_path)["t"]
    assert "blind twin" not in by
    miss = "0.5 vs REA 0.6, TPE 0.4"
    assert tc.beats_baselines(by) == [f"@10: {miss}", f"@30: {miss}"]
    assert tc.conditioning(by) == "no blind-twin runs"
