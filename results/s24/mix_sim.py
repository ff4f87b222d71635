"""Scratch (session 24, #16, tuning seeds only): in the cost-lookup mode's twin phase, rank
unqueried networks (as their cheapest twins) next to the twins of queried networks.

A queried network's twin: accuracy ~ N(network mean, twin spread); an unqueried network:
N(pair-ridge prediction, sqrt(cross-validated residual^2 + twin spread^2)). Each batch the
cells likeliest to beat the best queried accuracy at their exact cost or below.

Variants: base (the package), mix (the ranking above), mix-nets (unqueried networks only
weighted by W=env MIXW, default 1).

Usage: python results/s24/mix_sim.py OUT.jsonl SEEDS VARIANTS [DATASETS] [DEVICES]
"""
from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "results" / "s24"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from grid import ALL, run_grid  # noqa: E402
from scipy.stats import norm  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402
from sklearn.model_selection import cross_val_predict  # noqa: E402

from ednag_opt import search  # noqa: E402

emo = importlib.import_module("ednag_opt.search.ednag_mo")
tw = importlib.import_module("ednag_opt.search.twins")
ORIG = tw.twin_batch


def mix_batch(index, queried, values, directions, k, exact=None):
    if exact is None:
        return ORIG(index, queried, values, directions, k, exact)
    qpos = np.array([index.position[q] for q in queried])
    V = np.asarray(values, float)
    ok = np.isfinite(V).all(axis=1)
    pos, gain, cost = qpos[ok], V[ok, 0], V[ok, 1]
    seen = np.zeros(len(index.archs), bool)
    seen[qpos] = True
    cand, mu, spread = tw._twin_accuracy(index, pos, gain, seen)
    X = index.features
    model = Ridge(alpha=3.0)
    cv = cross_val_predict(model, X[pos], gain, cv=5)
    resid = float(np.sqrt(np.mean((gain - cv) ** 2)))
    pred = model.fit(X[pos], gain).predict(X)
    rep = index.cheapest_twins(exact)
    qnet = np.zeros(index.network.max() + 1, bool)
    qnet[index.network[qpos]] = True
    new = np.unique(rep[~qnet[index.network]])  # cheapest twin of every unqueried network
    w = float(os.environ.get("MIXW", "1"))
    allc = np.concatenate([cand, new])
    m = np.concatenate([mu, pred[new]])
    sd = np.concatenate([np.full(len(cand), max(spread, 1e-9)),
                         np.full(len(new), np.sqrt(resid**2 + spread**2))])
    keep = np.isfinite(exact[allc])
    allc, m, sd = allc[keep], m[keep], sd[keep]
    o = np.argsort(cost, kind="stable")
    best = np.maximum.accumulate(gain[o])
    j = np.searchsorted(cost[o], exact[allc], side="right")
    bar = np.where(j > 0, best[np.maximum(j - 1, 0)], -np.inf)
    p = norm.sf((bar - m) / sd)
    p[len(cand[keep[:len(cand)]]):] *= w
    order = allc[np.lexsort((exact[allc], -p))]
    return [index.archs[i] for i in order[:k]]


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), sys.argv[3].split(",")
    datasets = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else list(bm.DATASETS)
    devices = sys.argv[5].split(",") if len(sys.argv) > 5 and sys.argv[5] else ALL

    def run(cell, ctx, s, var):
        emo.twin_batch = mix_batch if var.startswith("mix") else ORIG
        try:
            return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=s,
                          cheap=[1], twins=0.5)
        finally:
            emo.twin_batch = ORIG

    run_grid(out, datasets, devices, seeds, variants, run)


if __name__ == "__main__":
    main()
