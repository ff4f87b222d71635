"""Scratch (s29): the package's sweep models side by side (variants: sweep_model names,
"gp" since session 29, "gp-arch" sessions 26-28) in the cost-lookup mode.
Usage: python results/s29/models.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402

from ednag_opt.search import search  # noqa: E402


def run(cell, ctx, seed, var):
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto", sweep_model=var)


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
