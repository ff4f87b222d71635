"""Scratch (s25, tuning seeds): the twin phase with the predictive spread of a twin,
sigma * sqrt(1 + 1/n) (n: queried twins of its network), instead of sigma.
Usage: python results/s25/spread_try.py OUT SEEDS DATASETS DEVICES"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from scipy.stats import norm  # noqa: E402

from ednag_opt.search import search  # noqa: E402
from ednag_opt.search import twins as T  # noqa: E402

ORIG = T._exact_staircase


def predictive(index, pos, gain, cost, exact, seen):
    nets, inv = np.unique(index.network[pos], return_inverse=True)
    count = np.bincount(inv)
    mean = np.bincount(inv, gain) / count
    dof = int((count - 1).sum())
    spread = float(np.sqrt(((gain - mean[inv]) ** 2).sum() / dof)) if dof else 0.0
    cand = np.flatnonzero(np.isin(index.network, nets) & ~seen)
    j = np.searchsorted(nets, index.network[cand])
    mu, n = mean[j], count[j]
    keep = np.isfinite(exact[cand])
    cand, mu, n = cand[keep], mu[keep], n[keep]
    if not len(cand):
        return cand
    bar = T.best_at_or_below(cost, gain, exact[cand])
    p = norm.sf((bar - mu) / np.maximum(spread * np.sqrt(1 + 1 / n), 1e-12))
    return cand[np.lexsort((exact[cand], -p))]


def run(cell, ctx, seed, var):
    T._exact_staircase = predictive if var == "predictive" else ORIG
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         ["base", "predictive"], run)
