"""Tuning (issue 16, session 16): the twin phase ordered by expected hypervolume improvement
(EHVI) instead of cheapest-first / staircase. Monkeypatches ``ednag_mo.twin_batch``.

python results/s16/tune_ehvi.py ORDER SHARE SEEDS OUT DATASETS DEVICES
  ORDER: pkg (the package's ordering), ehvi, stair (the staircase in every cell)
"""
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import torch
from sklearn.linear_model import Ridge

import bench_multiobjective as bm
from ednag_opt.strategy.pareto import pareto_mask

tw = importlib.import_module("ednag_opt.search.twins")
mo = importlib.import_module("ednag_opt.search.ednag_mo")
S = 64


def contrib(front_c, front_g, c, g, ref_c, ref_g):
    """Exclusive 2-D HV gain of points (c, g) (both minimised) over a front (min-min)."""
    o = np.argsort(front_c)
    fc, fg = front_c[o], np.minimum.accumulate(front_g[o])
    # step function h on [b_j, b_{j+1}): level of the front, ref_g before the first point
    b = np.concatenate([[-np.inf], fc, [ref_c]])
    h = np.concatenate([[ref_g], fg])
    lo = np.maximum(b[None, :-1], c[:, None])
    hi = np.minimum(b[None, 1:], ref_c)
    width = np.clip(hi - lo, 0, None)
    height = np.clip(np.minimum(h[None, :], ref_g) - g[:, None], 0, None)
    return (width * height).sum(axis=1)


def ehvi_order(index, pos, gain, cost, front, pred, resid, seen, rng):
    nets, inv = np.unique(index.network[pos], return_inverse=True)
    count = np.bincount(inv)
    mean = np.bincount(inv, gain) / count
    dof = int((count - 1).sum())
    spread = float(np.sqrt(((gain - mean[inv]) ** 2).sum() / dof)) if dof else 0.0
    cand = np.flatnonzero(np.isin(index.network, nets) & ~seen)
    if not len(cand):
        return cand
    mu = mean[np.searchsorted(nets, index.network[cand])]
    sg, sc = np.ptp(gain) or 1.0, np.ptp(cost) or 1.0
    fmask = np.isin(pos, front)
    fc = (cost[fmask] - cost.min()) / sc
    fg = (gain.max() - gain[fmask]) / sg
    ev = np.zeros(len(cand))
    zg, zc = rng.standard_normal(S), rng.standard_normal(S)
    for s in range(S):
        c = (pred[cand] + resid * zc[s] - cost.min()) / sc
        g = (gain.max() - (mu + spread * zg[s])) / sg
        ev += contrib(fc, fg, c, g, 1.1, 1.1)
    return cand[np.lexsort((pred[cand], -ev))]


def twin_batch(index, queried, values, directions, k):
    queried_pos = np.array([index.position[q] for q in queried], dtype=np.int64)
    V = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(V).all(axis=1)
    if ok.sum() < 2 or k < 1:
        return []
    pos, V = queried_pos[ok], V[ok]
    front = pos[pareto_mask(V * [1.0, -1.0])]
    X = index.features
    pred = Ridge(alpha=1.0).fit(X[pos], V[:, 1]).predict(X)
    seen = np.zeros(len(index.archs), dtype=bool)
    seen[queried_pos] = True
    resid = float(np.std(V[:, 1] - pred[pos]))
    rng = np.random.default_rng(len(queried))
    if ORDER.startswith("mix"):  # the first MIX of each batch by EHVI, the rest cheapest first
        a = ehvi_order(index, pos, V[:, 0], V[:, 1], front, pred, resid, seen, rng)
        b = tw._cheapest_first(index, pos, V[:, 1:], front, pred[:, None], seen)
        n = int(ORDER[3:] or 5)
        head = list(a[:n])
        order = head + [i for i in b if i not in set(head)]
        if len(order) < k:
            order += [i for i in a if i not in set(order)]
    elif ORDER == "ehvi":
        order = ehvi_order(index, pos, V[:, 0], V[:, 1], front, pred, resid, seen, rng)
    else:
        order = tw._staircase(index, pos, V[:, 0], V[:, 1], front, pred, resid, seen)
    return [index.archs[i] for i in order[:k]]


ORDER, share, seeds, out = sys.argv[1], float(sys.argv[2]), bm._ints(sys.argv[3]), sys.argv[4]
if ORDER != "pkg":
    mo.twin_batch = twin_batch
datasets, devices = sys.argv[5].split(","), sys.argv[6].split(",")
torch.set_num_threads(1)
name = f"ednag twins {share} {ORDER}" if share else "ednag"
rows, t0 = [], time.perf_counter()
for d in datasets:
    for dev in devices:
        cell = bm.Cell(d, dev)
        for r in bm.run_cell(cell, ["ednag"], seeds, [100, 300, 1000], {"ednag": {"twins": share}}):
            rows.append({**r, "method": name})
        print(f"{d} {dev}: {time.perf_counter() - t0:.0f} s", flush=True)
        Path(out).write_text(json.dumps({"rows": rows}, indent=1))
