"""Scratch (s28, tuning seeds): the twin and sweep shares after the constant-network fix.
auto: twins 0.5 / sweep 0.2 on continuous costs; t4s3: twins 0.4, sweep 0.3; t4: twins 0.4,
sweep 0.2 (the diffusion gets 0.1 more); t3s4: twins 0.3, sweep 0.4.
Usage: python results/s28/share.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402

from ednag_opt.search import search  # noqa: E402

OPTS = {"auto": {"twins": "auto"}, "t4s3": {"twins": 0.4, "sweep": 0.3},
        "t4": {"twins": 0.4, "sweep": 0.2}, "t3s4": {"twins": 0.3, "sweep": 0.4}}


def run(cell, ctx, seed, var):
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], **OPTS[var])


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
