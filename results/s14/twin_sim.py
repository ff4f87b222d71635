"""Scratch (issue 16, tuning seeds): default run for B - X queries, then X queries on the
unqueried twins (same pruned network) of the networks found non-dominated, cheapest
predicted cost first (ridge on the one-hot of the queried cells' costs). Front cells
recovered at 1,000 against the default's own 1,000-query run."""
import sys, json
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import torch
import bench_multiobjective as bm
from sklearn.linear_model import Ridge
from ednag_opt import search
from ednag_opt.strategy.pareto import pareto_mask

torch.set_num_threads(1)
B = 1000
X_LIST = [int(x) for x in sys.argv[1].split(",")]
seeds = [int(s) for s in sys.argv[2].split(",")]
devices = sys.argv[3].split(",") if len(sys.argv) > 3 else list(bm.DEVICES)
from scipy.stats import norm


def score_twins(qa, qs, acc, cost, net, pred, nd):
    """(-P(non-dominated), i) for unqueried twins of queried networks, best first."""
    by = {}
    for i in qa:
        by.setdefault(net[i], []).append(acc[i])
    groups = [np.array(v) for v in by.values() if len(v) > 1]
    sig = np.sqrt(sum(((g - g.mean()) ** 2).sum() for g in groups) / max(1, sum(len(g) - 1 for g in groups)))
    fc, fa = cost[nd], acc[nd]
    o = np.argsort(fc); fc, fa = fc[o], np.maximum.accumulate(fa[o])
    cand = []
    qarr = np.zeros(len(acc), bool); qarr[list(qs)] = True
    for n, v in by.items():
        mu = np.mean(v)
        for i in np.flatnonzero((net == n) & ~qarr):
            k = np.searchsorted(fc, pred[i], side="right")
            need = fa[k - 1] if k > 0 else -np.inf
            p = norm.sf((need - mu) / max(sig, 1e-9))
            cand.append((-p, i))
    cand.sort()
    return cand


out = []
for d in bm.DATASETS:
    for dev in devices:
        c = bm.Cell(d, dev)
        archs = c.space.enumerate()
        pos = {str(a): i for i, a in enumerate(archs)}
        acc = c.acc(archs).numpy(); cost = c.cost(archs).numpy()
        net = np.array([str(c.space.prune(a).key) for a in archs])
        OH = c.space.encode(archs).reshape(len(archs), -1).numpy()
        front = set(np.flatnonzero(pareto_mask(np.column_stack([acc, -cost]))))
        for s in seeds:
            full = search("ednag", c.space, [c.acc, c.cost], max_queries=B, seed=s)
            order = [pos[str(a)] for a, _ in full.queries[:B]]
            row = {"cell": f"{d}/{dev}", "seed": s, "default": len(front & set(order)) / len(front)}
            for X in X_LIST:
                q = order[: B - X]  # the default's first B - X queries (same run prefix)
                qs = set(q)
                V = np.column_stack([acc[q], -cost[q]])
                ok = np.isfinite(V).all(1)
                qa = np.array(q)[ok]
                nd = qa[pareto_mask(V[ok])]
                model = Ridge(alpha=1.0).fit(OH[qa], cost[qa])
                pred = model.predict(OH)
                cand = score_twins(qa, qs, acc, cost, net, pred, nd)
                extra = [i for _, i in cand[:X]]
                # fill the rest from the default's remaining queries
                rest = [i for i in order[B - X:] if i not in set(extra)]
                final = set(q) | set(extra) | set(rest[: X - len(extra)])
                row[f"twin{X}"] = len(front & final) / len(front)
                row[f"ncand{X}"] = len(cand)
            out.append(row)
            print(json.dumps(row), flush=True)
for k in out[0]:
    if k not in ("cell", "seed"):
        print(k, np.mean([r[k] for r in out]).round(3))
