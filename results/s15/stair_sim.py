"""Scratch (issue 16, session 15, tuning seeds): the default for B - X queries, then X queries
in batches of 10 by one of two orderings of the unqueried twins:
  pairs: the twin option as shipped (twins of non-dominated networks, cheapest predicted cost
         relative to the network's costliest non-dominated member; ridge on pair features);
  stair: every cell whose network has a queried twin, by its probability of not being
         dominated by the found front: accuracy ~ N(network's queried mean, pooled twin sd),
         cost ~ N(pair-ridge prediction, in-sample residual sd), 64 joint draws.
python results/s15/stair_sim.py X SEEDS DEVICES
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import torch
from sklearn.linear_model import Ridge
from sklearn.preprocessing import PolynomialFeatures

import bench_multiobjective as bm
from ednag_opt import search
from ednag_opt.strategy.pareto import pareto_mask

torch.set_num_threads(1)
B, BATCH = 1000, 10
X = int(sys.argv[1])
seeds = bm._ints(sys.argv[2])
devices = sys.argv[3].split(",")
KINDS = sys.argv[4].split(",") if len(sys.argv) > 4 else ["pairs", "stair"]


def staircase(fc, fa, C):
    """Best found accuracy at cost <= C (-inf below the cheapest found point)."""
    k = np.searchsorted(fc, C, side="right")
    return np.where(k > 0, fa[np.maximum(k - 1, 0)], -np.inf)


def pick(kind, q, acc, cost, net, P2, k, rng):
    qa = np.array([i for i in q if np.isfinite(acc[i]) and np.isfinite(cost[i])])
    nd = qa[pareto_mask(np.column_stack([acc[qa], -cost[qa]]))]
    model = Ridge(alpha=1.0).fit(P2[qa], cost[qa])
    pred = model.predict(P2)
    seen = np.zeros(len(acc), bool)
    seen[q] = True
    if kind == "mix":  # alternate the two orderings, without repeats
        a, b = pick("pairs", q, acc, cost, net, P2, k, rng), pick("stair", q, acc, cost, net, P2, k, rng)
        out = []
        for x in (v for pair in zip(a + [None] * k, b + [None] * k) for v in pair):
            if x is not None and x not in out:
                out.append(x)
        return out[:k]
    if kind == "pairs":
        worst = {}
        for p in nd:
            worst[net[p]] = max(worst.get(net[p], -np.inf), cost[p])
        cand = np.flatnonzero(np.isin(net, list(worst)) & ~seen)
        score = pred[cand] - np.array([worst[n] for n in net[cand]])
        return list(cand[np.argsort(score, kind="stable")[:k]])
    sc = float(np.std(cost[qa] - model.predict(P2[qa])))
    nets, inv = np.unique(net[qa], return_inverse=True)
    cnt = np.bincount(inv)
    mean = np.bincount(inv, acc[qa]) / cnt
    dev = acc[qa] - mean[inv]
    den = (cnt - 1).sum()
    sa = float(np.sqrt((dev ** 2).sum() / den)) if den > 0 else 0.1
    lookup = dict(zip(nets, mean))
    cand = np.flatnonzero(np.isin(net, nets) & ~seen)
    if not len(cand):
        return []
    mu = np.array([lookup[n] for n in net[cand]])
    o = np.argsort(cost[nd])
    fc, fa = cost[nd][o], np.maximum.accumulate(acc[nd][o])
    A = mu[:, None] + sa * rng.standard_normal((len(cand), 64))
    C = pred[cand][:, None] + sc * rng.standard_normal((len(cand), 64))
    p = (A > staircase(fc, fa, C)).mean(axis=1)
    return list(cand[np.lexsort((pred[cand], -p))[:k]])


def hv(c, acc, cost, q):
    """Hypervolume ratio of the front of the queried cells (as bench_multiobjective)."""
    q = np.array([i for i in q if np.isfinite(acc[i]) and np.isfinite(cost[i])])
    V = np.column_stack([acc[q], cost[q]])
    V = V[pareto_mask(V * [1.0, -1.0])]
    return float(c.hv(c._norm(V)) / c.true_hv)


for d in bm.DATASETS:
    for dev in devices:
        c = bm.Cell(d, dev)
        archs = c.space.enumerate()
        pos = {str(a): i for i, a in enumerate(archs)}
        acc, cost = c.acc(archs).numpy(), c.cost(archs).numpy()
        net = np.array([str(c.space.prune(a).key) for a in archs])
        OH = c.space.encode(archs).reshape(len(archs), -1).numpy()
        P2 = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(OH)
        front = set(np.flatnonzero(pareto_mask(np.column_stack([acc, -cost]))))
        for s in seeds:
            full = search("ednag", c.space, [c.acc, c.cost], max_queries=B, seed=s)
            order = [pos[str(a)] for a, _ in full.queries[:B]]
            row = {"cell": f"{d}/{dev}", "seed": s, "default": len(front & set(order)) / len(front),
                   "hv_default": hv(c, acc, cost, order)}
            for kind in KINDS:
                rng = np.random.default_rng(s)
                q = list(order[: B - X])
                while len(q) < B:
                    nxt = pick(kind, q, acc, cost, net, P2, min(BATCH, B - len(q)), rng)
                    if not nxt:
                        break
                    q += [int(i) for i in nxt]
                row[kind] = len(front & set(q)) / len(front)
                row["hv_" + kind] = hv(c, acc, cost, q)
            print(json.dumps(row), flush=True)
