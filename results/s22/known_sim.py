"""Scratch (session 22, #16, tuning seeds only): what if the cost objective were known
(a lookup, as HW-NAS-Bench and OFA's Note10 tables are) and only accuracy queries counted?

Variants:
  default        the shipped default (cost queried with accuracy, predicted by ridge)
  known          the default, the Pareto guide's cost model replaced by the exact costs
  known+twins    the same with twins=0.1, the twin phase ordering by exact costs
  greedy         no diffusion: every batch of 20, the 20 unqueried cells of best epsilon
                 value under the accuracy ridge (pairs) and the exact costs (a reference)

Usage: python results/s22/known_sim.py OUT.jsonl SEEDS VARIANTS [DATASETS] [DEVICES]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import numpy as np  # noqa: E402
import torch  # noqa: E402

import bench_multiobjective as bm  # noqa: E402
import importlib  # noqa: E402

emo = importlib.import_module("ednag_opt.search.ednag_mo")
tw = importlib.import_module("ednag_opt.search.twins")
from ednag_opt import search  # noqa: E402
from ednag_opt.search.guided_mo import ParetoGuide, epsilon_value  # noqa: E402
from ednag_opt.search.pair_guide import make_guide  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

B = 1000
EXACT: dict = {}


class ExactGuide:
    """Rank quantile of the exact value among the observed ones (a RidgeGuide's scale)."""

    def __init__(self, lookup, sign):
        self.lookup, self.sign, self.seen = lookup, sign, 0
        self._y: list = []
        self.model = None

    def observe(self, archs, values, maximize=True):
        y = np.asarray(values, float)
        self._y.append(y[np.isfinite(y)])
        ys = np.sort(np.concatenate(self._y))
        self.sorted, self.model = ys, (True if len(ys) >= 5 else None)
        return self

    def predict(self, archs, validate=True):
        if self.model is None:
            return np.zeros(len(archs))
        s = self.sign * self.lookup(archs)
        s = np.where(np.isfinite(s), s, -np.inf)
        return np.searchsorted(self.sorted, s, side="left") / max(len(self.sorted) - 1, 1)


class KnownParetoGuide(ParetoGuide):
    def __init__(self, space, multi, **kw):
        super().__init__(space, multi, **kw)
        self.models[1] = ExactGuide(EXACT["cost"], -1.0)


def exact_twin_batch(index, queried, values, directions, k):
    """twin_batch with the cost model replaced by the exact costs."""
    saved = tw.Ridge

    class Exact:
        def __init__(self, alpha=1.0):
            pass

        def fit(self, X, y):
            return self

        def predict(self, X):
            return EXACT["all_costs"]

    tw.Ridge = Exact
    try:
        return tw.twin_batch(index, queried, values, directions, k)
    finally:
        tw.Ridge = saved


class Res:
    def __init__(self, queries):
        self.queries = queries

    def pareto_front(self, budget):
        q = [(a, v) for a, v in self.queries[:budget] if np.isfinite(v).all()]
        V = np.array([v for _, v in q])
        m = pareto_mask(V * [1.0, -1.0])
        return [q[i] for i in np.flatnonzero(m)]


def greedy(cell, seed, V, archs, batch=20):
    rng = np.random.default_rng(seed)
    order = list(rng.choice(len(archs), batch, replace=False))
    acc = make_guide(cell.space, "pairs")
    acc.observe([archs[i] for i in order], V[order, 0], True)
    cost = -V[:, 1]
    qs = lambda s, ref: np.searchsorted(np.sort(ref), s, side="left") / max(len(ref) - 1, 1)
    pa_all = None
    while len(order) < B:
        pa_all = acc.predict(archs)
        qc = cost[order]
        qc_f = qc[np.isfinite(qc)]
        pc = qs(np.where(np.isfinite(cost), cost, -np.inf), qc_f)
        P = np.column_stack([pa_all, pc])
        S = np.column_stack([V[order, 0], cost[order]])
        fr = np.array(order)[pareto_mask(np.where(np.isfinite(S), S, np.nan))]
        val = epsilon_value(P, P[fr])
        val[order] = -np.inf
        nxt = list(np.argsort(-val, kind="stable")[: min(batch, B - len(order))])
        acc.observe([archs[i] for i in nxt], V[nxt, 0], True)
        order += nxt
    return [(archs[i], V[i]) for i in order]


def prob(cell, seed, V, archs, batch=20):
    """Every batch, the unqueried cells most likely to beat the found front at their
    (exact) cost: accuracy ~ N(network's queried mean, twin spread) for twins of queried
    networks, N(pair-ridge prediction, ridge residual) otherwise."""
    from sklearn.linear_model import Ridge
    rng = np.random.default_rng(seed)
    order = list(rng.choice(len(archs), batch, replace=False))
    nets = np.array([hash(cell.space.prune(a).key) for a in archs])
    _, net = np.unique(nets, return_inverse=True)
    X = make_guide(cell.space, "pairs").features(archs)
    cost = V[:, 1]
    from scipy.stats import norm
    while len(order) < B:
        o = np.array(order)
        ok = np.isfinite(V[o]).all(axis=1)
        q, acc = o[ok], V[o[ok], 0]
        r = Ridge(alpha=3.0).fit(X[q], acc)
        mu = r.predict(X)
        resid = max(float(np.std(acc - mu[q])), 1e-6)
        cnt = np.bincount(net[q], minlength=net.max() + 1)
        sm = np.bincount(net[q], acc, minlength=net.max() + 1)
        mean = np.where(cnt > 0, sm / np.maximum(cnt, 1), np.nan)
        dof = int((cnt[cnt > 0] - 1).sum())
        spread = float(np.sqrt(((acc - mean[net[q]]) ** 2).sum() / dof)) if dof > 0 else resid
        known = cnt[net] > 0
        m = np.where(known, mean[net], mu)
        sd = np.where(known, max(spread, 1e-6), np.sqrt(resid**2 + spread**2))
        # best accuracy among queried cells at most as costly as each cell
        oc = np.argsort(cost[q], kind="stable")
        best = np.maximum.accumulate(acc[oc])
        k = np.searchsorted(cost[q][oc], cost, side="right")
        bar = np.where(k > 0, best[np.maximum(k - 1, 0)], -np.inf)
        p = norm.sf((bar - m) / sd)
        p[~np.isfinite(cost)] = -1
        p[o] = -np.inf
        nxt = list(np.argsort(-p, kind="stable")[: min(batch, B - len(order))])
        order += nxt
    return [(archs[i], V[i]) for i in order]


def netfirst(cell, seed, V, archs, x, batch=10, distinct="networks"):
    """distinct="networks" for B - x queries, then x queries on twins of queried networks
    ordered by their chance of beating the found front at their exact cost (staircase)."""
    index = tw.TwinIndex(cell.space, str)
    res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=B - x, seed=seed,
                 distinct=distinct)
    keys = [str(a) for a, _ in res.queries]
    while len(keys) < B:
        P = np.array([index.position[k] for k in keys])
        vals = V[P]
        ok = np.isfinite(vals).all(axis=1)
        pos, W = P[ok], vals[ok]
        front = pos[pareto_mask(W * [1.0, -1.0])]
        seen = np.zeros(len(archs), bool)
        seen[P] = True
        order = tw._staircase(index, pos, W[:, 0], W[:, 1], front, V[:, 1], 1e-9, seen)
        order = [i for i in order if np.isfinite(V[i, 1])]
        if not order:
            break
        keys += [index.keys[i] for i in order[: min(batch, B - len(keys))]]
    return [(archs[index.position[k]], V[index.position[k]]) for k in keys]


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), sys.argv[3].split(",")
    datasets = sys.argv[4].split(",") if len(sys.argv) > 4 else list(bm.DATASETS)
    devices = sys.argv[5].split(",") if len(sys.argv) > 5 else list(bm.DEVICES)
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in datasets:
            for dev in devices:
                cell = bm.Cell(ds, dev)
                archs = list(cell.space.enumerate())
                V = np.column_stack([cell.acc(archs).numpy(), cell.cost(archs).numpy()])
                pos = {str(a): i for i, a in enumerate(archs)}
                EXACT["cost"] = lambda xs: np.array([V[pos[str(a)], 1] for a in xs])
                EXACT["all_costs"] = V[:, 1]
                for s in seeds:
                    for var in variants:
                        t0 = time.perf_counter()
                        if "netfirst" in var or var.startswith("stair"):
                            emo.ParetoGuide = KnownParetoGuide if var[0] == "k" else ParetoGuide
                            x = int(var.split("netfirst")[-1].split("stair")[-1])
                            distinct = "networks" if "netfirst" in var else "architectures"
                            res = Res(netfirst(cell, s, V, archs, x, distinct=distinct))
                        elif var in ("greedy", "prob"):
                            q = (greedy if var == "greedy" else prob)(cell, s, V, archs)
                            res = Res(q)
                        else:
                            emo.ParetoGuide = KnownParetoGuide if var.startswith("known") else ParetoGuide
                            emo.twin_batch = exact_twin_batch if var.startswith("known") else tw.twin_batch
                            opts = {}
                            if "twins" in var:
                                opts = {"twins": int(var.split("twins")[1] or 10) / 100}
                            res = search("ednag", cell.space, [cell.acc, cell.cost],
                                         max_queries=B, seed=s, **opts)
                        row = {"dataset": ds, "device": dev, "seed": s, "variant": var,
                               "time": time.perf_counter() - t0}
                        for b in (100, 300, 1000):
                            row.update({f"{k}@{b}": v for k, v in cell.score(res, b).items()})
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()


if __name__ == "__main__":
    main()
