"""Scratch helper (session 24): run named variants over NAS-Bench-201 x HW-NAS-Bench cells
and seeds, one JSON row per run scored at 100 / 300 / 1,000 queries."""
from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import torch  # noqa: E402

DEV15 = ["edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency", "fpga_latency"]
ALL = DEV15 + ["fpga_energy", "eyeriss_latency", "eyeriss_energy", "edgetpu_latency"]


def run_grid(out: str, datasets: list[str], devices: list[str], seeds: list[int],
             variants: list[str], run: Callable[[Any, Any, int, str], Any],
             prepare: Callable[[Any], Any] = lambda cell: None) -> None:  # fmt: skip
    """``run(cell, context, seed, variant)`` returns a search result; ``prepare(cell)``
    gives the cell's context once. Rows are appended to ``out`` as they finish."""
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in datasets:
            for dev in devices:
                cell = bm.Cell(ds, dev)
                ctx = prepare(cell)
                for s in seeds:
                    for var in variants:
                        t0 = time.perf_counter()
                        res = run(cell, ctx, s, var)
                        row = {"dataset": ds, "device": dev, "seed": s, "variant": var,
                               "time": time.perf_counter() - t0}
                        for b in (100, 300, 1000):
                            row.update({f"{k}@{b}": v for k, v in cell.score(res, b).items()})
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()
