"""Scratch (s28): the cost-lookup mode on seeds kept aside, run from a checkout given as
the first argument (this one: the constant-network fix; a worktree of commit 9da7620:
session 26). Usage: python results/s28/aside.py SRC OUT SEEDS DATASETS DEVICES NAME"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(sys.argv[1]).resolve() / "src"))
sys.path.insert(1, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402

import ednag_opt  # noqa: E402
from ednag_opt.search import search  # noqa: E402

print("ednag_opt from", ednag_opt.__file__, flush=True)


def run(cell, ctx, seed, var):
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[2], sys.argv[4].split(","), sys.argv[5].split(","), bm._ints(sys.argv[3]),
         [sys.argv[6]], run)
