"""Scratch (s25, #16, tuning seeds): a whole-space sweep over the networks in the
cost-lookup mode. Phase A: the mode's own first Q0 queries; phase B: batches of B
unqueried networks (each as its cheapest twin) chosen over the whole space by the guide;
phase C: the twin phase (package twin_batch) for the held-back share.

Usage: python results/s25/sweep_sim.py OUT SEEDS VARIANTS DATASETS DEVICES
variants: base | eps:Q0:B | pnd:Q0:B
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from scipy.stats import norm  # noqa: E402
from sklearn.linear_model import Ridge  # noqa: E402

from ednag_opt.search import search as run_search  # noqa: E402
from ednag_opt.search.pair_guide import PairRidgeGuide  # noqa: E402
from ednag_opt.search.twins import TwinIndex, auto_share, twin_batch  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

BUDGET = 1000


class Ctx:
    def __init__(self, cell):
        self.cell = cell
        self.index = TwinIndex(cell.space, str)
        A = self.index.archs
        self.acc = cell.acc(A).numpy().astype(float)
        self.cost = cell.cost(A).numpy().astype(float)
        best = self.index.cheapest_twins(self.cost)
        self.rep = np.unique(best)  # one position per network: its cheapest twin
        self.share = auto_share(self.cost)
        g = PairRidgeGuide(cell.space, 3.0, 5)
        self.X = g.features(A)


def score(ctx, order, b):
    cell, o = ctx.cell, np.asarray(order[:b])
    V = np.column_stack([ctx.acc[o], ctx.cost[o]])
    ok = np.isfinite(V).all(1)
    o, V = o[ok], V[ok]
    fr = pareto_mask(V * [1.0, -1.0])
    hv = cell.hv(cell._norm(V[fr])) / cell.true_hv
    keys = {str(ctx.index.archs[i]) for i in order[:b]}
    return {"hv": hv, "recovered": len(keys & cell.front_keys) / len(cell.front_keys),
            "recovered_tied": len(keys & cell.front_keys_tied) / len(cell.front_keys_tied)}


def twin_probs(ctx, order):
    from ednag_opt.search.twins import _twin_accuracy
    pos = np.asarray(order)
    gain, cost = ctx.acc[pos], ctx.cost[pos]
    ok = np.isfinite(gain) & np.isfinite(cost)
    pos, gain, cost = pos[ok], gain[ok], cost[ok]
    seen = np.zeros(len(ctx.index.archs), bool)
    seen[np.asarray(order)] = True
    cand, mu, spread = _twin_accuracy(ctx.index, pos, gain, seen)
    keep = np.isfinite(ctx.cost[cand])
    cand, mu = cand[keep], mu[keep]
    o = np.argsort(cost, kind="stable")
    best = np.maximum.accumulate(gain[o])
    k = np.searchsorted(cost[o], ctx.cost[cand], side="right")
    bar = np.where(k > 0, best[np.maximum(k - 1, 0)], -np.inf)
    return cand, norm.sf((bar - mu) / max(spread, 1e-12))


def mix_batch(ctx, order, B, factor):
    c1, p1 = sweep_batch(ctx, order, "pnd", None, factor=factor)
    c2, p2 = twin_probs(ctx, order)
    c, p = np.concatenate([c1, c2]), np.concatenate([p1, p2])
    return list(c[np.lexsort((ctx.cost[c], -p))][:B])


def sweep_batch(ctx, order, kind, B, alpha=3.0, factor=1.5):
    pos = np.asarray(order)
    y = ctx.acc[pos]
    ok = np.isfinite(y) & np.isfinite(ctx.cost[pos])
    pos, y = pos[ok], y[ok]
    n = len(y)
    rank = np.argsort(np.argsort(y, kind="stable"), kind="stable") / max(n - 1, 1)
    m = Ridge(alpha=alpha).fit(ctx.X[pos], rank)
    seen_net = set(ctx.index.network[np.asarray(order)])
    cand = np.array([r for r in ctx.rep if ctx.index.network[r] not in seen_net
                     and np.isfinite(ctx.cost[r])])
    mu = m.predict(ctx.X[cand])
    c = ctx.cost[pos]
    o = np.argsort(c, kind="stable")
    best = np.maximum.accumulate(rank[o])
    k = np.searchsorted(c[o], ctx.cost[cand], side="right")
    bar = np.where(k > 0, best[np.maximum(k - 1, 0)], -np.inf)
    if kind == "pnd":
        s = float(np.std(rank - m.predict(ctx.X[pos]))) * factor
        val = norm.sf((bar - mu) / max(s, 1e-9))
    else:
        val = mu - bar
    if B is None:
        return cand, val
    top = cand[np.lexsort((ctx.cost[cand], -val))]
    return list(top[:B])


def run(ctx, seed, variant):
    cell = ctx.cell
    res = run_search("ednag", cell.space, [cell.acc, cell.cost], max_queries=BUDGET, seed=seed,
                     cheap=[1], twins="auto")
    base = [ctx.index.position[str(a)] for a, _ in res.queries[:BUDGET]]
    if variant == "base":
        return base
    if variant.startswith("bandit"):
        _, q0, B, *w = variant.split(":")
        return bandit(ctx, base[:int(q0)], int(B), float(w[0]) if w else 0.5)
    if variant.startswith("mix"):
        _, q0, B, f = variant.split(":")
        order = base[:int(q0)]
        while len(order) < BUDGET:
            nxt = mix_batch(ctx, order, min(int(B), BUDGET - len(order)), float(f))
            if not nxt:
                break
            order += nxt
        return order
    kind, q0, B, *sh = variant.split(":")
    q0, B = int(q0), int(B)
    order = base[:q0]
    held = round((float(sh[0]) if sh else ctx.share) * BUDGET)
    while len(order) < BUDGET - held:
        nxt = sweep_batch(ctx, order, kind, min(B, BUDGET - held - len(order)))
        if not nxt:
            break
        order += nxt
    while len(order) < BUDGET:
        V = np.column_stack([ctx.acc[order], ctx.cost[order]])
        keys = [str(ctx.index.archs[i]) for i in order]
        nxt = twin_batch(ctx.index, keys, V, [True, False], min(10, BUDGET - len(order)), ctx.cost)
        if not nxt:
            break
        order += [ctx.index.position[str(a)] for a in nxt]
    return order


def on_front(ctx, order):
    o = np.asarray(order)
    V = np.column_stack([ctx.acc[o], ctx.cost[o]])
    V = np.where(np.isfinite(V), V, [-np.inf, np.inf])
    return set(o[pareto_mask(V * [1.0, -1.0])].tolist())


def bandit(ctx, order, B, w):
    rate = {}
    while len(order) < BUDGET:
        k = min(B, BUDGET - len(order))
        kinds = [q for q in ("sweep", "twin") if q not in rate] or \
            [max(rate, key=lambda q: (rate[q], q == "sweep"))]
        kind = kinds[0]
        if kind == "sweep":
            nxt = sweep_batch(ctx, order, "pnd", k)
        else:
            V = np.column_stack([ctx.acc[order], ctx.cost[order]])
            keys = [str(ctx.index.archs[i]) for i in order]
            nxt = [ctx.index.position[str(a)] for a in
                   twin_batch(ctx.index, keys, V, [True, False], k, ctx.cost)]
        if not nxt:
            rate[kind] = -1.0
            if all(r < 0 for r in rate.values()) and len(rate) == 2:
                break
            continue
        order = order + nxt
        hit = len(on_front(ctx, order) & set(nxt)) / len(nxt)
        rate[kind] = hit if kind not in rate else w * rate[kind] + (1 - w) * hit
    return order


def main():
    out, seeds = sys.argv[1], bm._ints(sys.argv[2])
    variants = sys.argv[3].split(",")
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in sys.argv[4].split(","):
            for dev in sys.argv[5].split(","):
                ctx = Ctx(bm.Cell(ds, dev))
                for s in seeds:
                    for var in variants:
                        t0 = time.perf_counter()
                        order = run(ctx, s, var)
                        row = {"dataset": ds, "device": dev, "seed": s, "variant": var,
                               "time": time.perf_counter() - t0}
                        for b in (100, 300, 1000):
                            row.update({f"{k}@{b}": v for k, v in score(ctx, order, b).items()})
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()
                        print(ds, dev, s, var, round(row["recovered@1000"], 3),
                              round(row["hv@300"], 5), flush=True)


if __name__ == "__main__":
    main()
