"""Scratch (s26): the sweep's model, ridge (session 25) against gp, in full runs.
Usage: python results/s26/confirm.py OUT SEEDS DATASETS DEVICES [VARIANTS]"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402

from ednag_opt.search import search  # noqa: E402

OPTS = {"ridge": {"sweep_model": "ridge"}, "gp": {"sweep_model": "gp", "sweep_stop": 0},
        "gp_stop0.5": {"sweep_stop": 0.5}, "gp_stop1": {"sweep_stop": 1.0},
        "gp_stop0.25": {"sweep_stop": 0.25}}


def run(cell, ctx, seed, var):
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto", **OPTS[var])


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(",") if len(sys.argv) > 5 else list(OPTS), run)
