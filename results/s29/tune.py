"""Scratch (s29, tuning seeds): the sweep's Gaussian process with the cheap cost's
standardised log as one more feature, scaled by w ("costW"); "base": the package.
Usage: python results/s29/tune.py OUT SEEDS DATASETS DEVICES VARIANTS
Ran against commit 3330bc9 (before the change); against later commits pass
sweep_model="gp-arch" for "base" (results/s29/models.py runs the package's models)."""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402

from ednag_opt.search import search  # noqa: E402

S = importlib.import_module("ednag_opt.search.sweep")
INIT = S.Sweep.__init__
W = {"w": 0.0, "rank": False}


def init(self, *a, **k):
    INIT(self, *a, **k)
    if W["w"]:
        c = self.costs[self.reps]
        if W["rank"]:
            z = (np.argsort(np.argsort(c, kind="stable")) / (len(c) - 1) - 0.5) * 12 ** 0.5
        else:
            z = (np.log(c) - np.log(c).mean()) / np.log(c).std()
        self.X = np.hstack([self.X, W["w"] * z[:, None]])


S.Sweep.__init__ = init


def run(cell, ctx, seed, var):
    W["w"] = float(var[4:]) if var[:4] in ("cost", "rank") else 0.0
    W["rank"] = var.startswith("rank")
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
