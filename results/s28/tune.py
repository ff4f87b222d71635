"""Scratch (s28, tuning seeds): the twin phase with constant networks (new) against the
session-26 ranking (old: twins of a constant network tied with the bar get chance 1/2,
and the constant network's zero spread enters the pooled spread).
Usage: python results/s28/tune.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402

from ednag_opt.search import search  # noqa: E402

T = importlib.import_module("ednag_opt.search.twins")
VARS = {"new": {"const": True}, "old": {"const": False}}


def run(cell, ctx, seed, var):
    T._TUNE.clear()
    T._TUNE.update(VARS[var])
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
