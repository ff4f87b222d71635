"""Scratch (session 24, #16, tuning seeds only): the cost-lookup mode's twin phase in
batches of B instead of 10 (the bar each twin must beat is updated after every batch).

Usage: python results/s24/batch_sim.py OUT.jsonl SEEDS VARIANTS DATASETS DEVICES
       (variants: bN, e.g. b10,b5,b1)
"""
from __future__ import annotations

import importlib
import sys
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "results" / "s24"))
import bench_multiobjective as bm  # noqa: E402
from grid import run_grid  # noqa: E402

from ednag_opt import search  # noqa: E402

emo = importlib.import_module("ednag_opt.search.ednag_mo")
ORIG = emo._twin_phase


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), sys.argv[3].split(",")
    datasets, devices = sys.argv[4].split(","), sys.argv[5].split(",")

    def run(cell, ctx, s, var):
        emo._twin_phase = partial(ORIG, batch=int(var[1:]))
        try:
            return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=s,
                          cheap=[1], twins="auto")
        finally:
            emo._twin_phase = ORIG

    run_grid(out, datasets, devices, seeds, variants, run)


if __name__ == "__main__":
    main()
