"""Scratch (s26, tuning seeds): the twin phase's ranking in the cost-lookup mode.
base: P(gain > best queried gain at or below its cost) (session 25).
record: P(gain > that bar AND > every unqueried twin of a queried network strictly
cheaper), the posterior chance of being on the true front.
meanbar: the bar is the best estimated network mean among queried cells at or below.
Usage: python results/s26/twin_try.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from scipy.special import log_ndtr  # noqa: E402
from scipy.stats import norm  # noqa: E402

from ednag_opt.search import search  # noqa: E402
from ednag_opt.search import twins as T  # noqa: E402

ORIG = T._exact_staircase


def record(index, pos, gain, cost, exact, seen):
    cand, mu, spread, n = T._twin_accuracy(index, pos, gain, seen)
    keep = np.isfinite(exact[cand])
    cand, mu, n = cand[keep], mu[keep], n[keep]
    if not len(cand):
        return cand
    s = np.maximum(spread * np.sqrt(1.0 + 1.0 / n), 1e-9)
    c = exact[cand]
    bar = T.best_at_or_below(cost, gain, c)
    live = mu + 5 * s > bar
    p = np.zeros(len(cand))
    if live.any():
        o = np.argsort(c, kind="stable")
        step = max(spread, 0.05) / 4
        lo = np.min(np.maximum(bar[live], mu[live] - 5 * s[live]))
        grid = np.arange(lo, np.max(mu[live] + 5 * s[live]) + step, step)
        L = np.vstack([np.zeros(len(grid)),
                       np.cumsum(log_ndtr((grid[None, :] - mu[o, None]) / s[o, None]), axis=0)])
        k = np.searchsorted(c[o], c[live], side="left")
        sl, ml = s[live][:, None], mu[live][:, None]
        w = norm.pdf((grid[None, :] - ml) / sl) * (step / sl) * (grid[None, :] > bar[live][:, None])
        p[live] = (w * np.exp(L[k])).sum(axis=1)
    return cand[np.lexsort((c, -p))]


def meanbar(index, pos, gain, cost, exact, seen):
    cand, mu, spread, n = T._twin_accuracy(index, pos, gain, seen)
    keep = np.isfinite(exact[cand])
    cand, mu, n = cand[keep], mu[keep], n[keep]
    if not len(cand):
        return cand
    nets, inv = np.unique(index.network[pos], return_inverse=True)
    m = (np.bincount(inv, gain) / np.bincount(inv))[inv]
    bar = T.best_at_or_below(cost, m, exact[cand])
    p = norm.sf((bar - mu) / np.maximum(spread * np.sqrt(1.0 + 1.0 / n), 1e-12))
    return cand[np.lexsort((exact[cand], -p))]


FN = {"base": ORIG, "record": record, "meanbar": meanbar}


def run(cell, ctx, seed, var):
    T._exact_staircase = FN[var]
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
