"""Scratch (s25): sweep=0 against the default sweep (auto) with cheap=[1], twins='auto',
on tuning seeds. Usage: python results/s25/confirm.py OUT SEEDS DATASETS DEVICES"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402

from ednag_opt.search import search  # noqa: E402

OPTS = {"sweep0": {"sweep": 0}, "sweep0.2": {"sweep": 0.2}}


def run(cell, ctx, seed, var):
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto", **OPTS[var])


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         list(OPTS), run)
