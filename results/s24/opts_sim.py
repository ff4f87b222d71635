"""Scratch (session 24, #16, tuning seeds only): search("ednag") on NB201 x HW-NAS-Bench
cells with named option sets, scored at 100 / 300 / 1,000 queries.

Usage: python results/s24/opts_sim.py OUT.jsonl SEEDS '{"name": {options}}' DATASETS DEVICES
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "results" / "s24"))
import bench_multiobjective as bm  # noqa: E402
from grid import run_grid  # noqa: E402

from ednag_opt import search  # noqa: E402


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), json.loads(sys.argv[3])
    datasets, devices = sys.argv[4].split(","), sys.argv[5].split(",")

    def run(cell, ctx, s, var):
        return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=s,
                      **variants[var])

    run_grid(out, datasets, devices, seeds, list(variants), run)


if __name__ == "__main__":
    main()
