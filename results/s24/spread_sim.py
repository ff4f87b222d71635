"""Scratch (session 24, #16, tuning seeds only): the cost-lookup twin phase with a
per-network twin spread (shrunk to the pooled one with NU pseudo-degrees of freedom)
instead of one pooled spread.

Usage: python results/s24/spread_sim.py OUT.jsonl SEEDS VARIANTS DATASETS DEVICES
       (variants: base, nuN e.g. nu5)
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "results" / "s24"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from grid import run_grid  # noqa: E402
from scipy.stats import norm  # noqa: E402

from ednag_opt import search  # noqa: E402

tw = importlib.import_module("ednag_opt.search.twins")
ORIG = tw._exact_staircase
NU = [5.0]


def exact_staircase(index, pos, gain, cost, exact, seen):
    nets, inv = np.unique(index.network[pos], return_inverse=True)
    count = np.bincount(inv)
    mean = np.bincount(inv, gain) / count
    ss = np.bincount(inv, (gain - mean[inv]) ** 2)
    dof = count - 1
    pooled = float(np.sqrt(ss.sum() / dof.sum())) if dof.sum() else 0.0
    var = (ss + NU[0] * pooled**2) / (dof + NU[0])
    cand = np.flatnonzero(np.isin(index.network, nets) & ~seen)
    j = np.searchsorted(nets, index.network[cand])
    mu, sd = mean[j], np.sqrt(var[j])
    keep = np.isfinite(exact[cand])
    cand, mu, sd = cand[keep], mu[keep], sd[keep]
    if not len(cand):
        return cand
    o = np.argsort(cost, kind="stable")
    best = np.maximum.accumulate(gain[o])
    k = np.searchsorted(cost[o], exact[cand], side="right")
    bar = np.where(k > 0, best[np.maximum(k - 1, 0)], -np.inf)
    p = norm.sf((bar - mu) / np.maximum(sd, 1e-12))
    return cand[np.lexsort((exact[cand], -p))]


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), sys.argv[3].split(",")
    datasets, devices = sys.argv[4].split(","), sys.argv[5].split(",")

    def run(cell, ctx, s, var):
        if var.startswith("nu"):
            NU[0] = float(var[2:])
            tw._exact_staircase = exact_staircase
        try:
            return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=s,
                          cheap=[1], twins="auto")
        finally:
            tw._exact_staircase = ORIG

    run_grid(out, datasets, devices, seeds, variants, run)


if __name__ == "__main__":
    main()
