"""Scratch (issue 16, tuning seeds): default run for B - X queries, then X queries on
unqueried twins, adaptively in batches, by a per-network model of both objectives."""
import sys, json
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import torch
import bench_multiobjective as bm
from ednag_opt import search
from ednag_opt.strategy.pareto import pareto_mask

torch.set_num_threads(1)
B = 1000
X_LIST = [int(x) for x in sys.argv[1].split(",")]
seeds = [int(s) for s in sys.argv[2].split(",")]
devices = sys.argv[3].split(",") if len(sys.argv) > 3 else list(bm.DEVICES)
VARIANT = sys.argv[4] if len(sys.argv) > 4 else "mc"
BATCH = 10


def pooled_sd(groups):
    g = [np.asarray(v) for v in groups if len(v) > 1]
    den = sum(len(v) - 1 for v in g)
    return np.sqrt(sum(((v - v.mean()) ** 2).sum() for v in g) / den) if den else 0.0


def pick(q, acc, cost, net, k, rng):
    if VARIANT == "gen":
        return pick_gen(q, acc, cost, net, k, rng)
    if VARIANT == "sum":
        return pick_sum(q, acc, cost, net, k, rng)
    if VARIANT == "eps":
        return pick_eps(q, acc, cost, net, k, rng)
    if VARIANT.startswith("a"):
        return pick_a(q, acc, cost, net, k, rng)
    qa = np.array([i for i in q if np.isfinite(acc[i]) and np.isfinite(cost[i])])
    V = np.column_stack([acc[qa], -cost[qa]])
    nd = qa[pareto_mask(V)]
    by = {}
    for i in qa:
        by.setdefault(net[i], []).append(i)
    sa = pooled_sd([acc[v] for v in by.values()])
    sc = pooled_sd([np.log(cost[v]) for v in by.values()]) if VARIANT == "mclog" else pooled_sd([cost[v] for v in by.values()])
    fc, fa = cost[nd], acc[nd]
    o = np.argsort(fc); fc, fa = fc[o], np.maximum.accumulate(fa[o])
    qset = set(q)
    ndn = set(net[nd])
    scores = []
    for n, v in by.items():
        free = [i for i in np.flatnonzero(net == n) if i not in qset]
        if not free:
            continue
        ma = acc[v].mean(); mc = cost[v].mean()
        A = ma + sa * rng.standard_normal(256)
        if VARIANT == "mclog":
            C = np.exp(np.log(cost[v]).mean() + sc * rng.standard_normal(256))
        else:
            C = mc + sc * rng.standard_normal(256)
        kk = np.searchsorted(fc, C, side="right")
        need = np.where(kk > 0, fa[np.maximum(kk - 1, 0)], -np.inf)
        p = float((A > need).mean())
        if VARIANT.startswith("harm"):
            k = int((net == n).sum())
            if n in ndn:
                p = 1.0
            p *= sum(1.0 / j for j in range(1, k + 1)) / k
        scores.append((p, n, free))
    scores.sort(key=lambda t: -t[0])
    out = []
    for p, n, free in scores:  # greedy: the best network's twins first, random order
        take = min(len(free), k - len(out))
        out += list(rng.permutation(free)[:take])
        if len(out) >= k:
            break
    return out


from sklearn.linear_model import Ridge


def pick_a(q, acc, cost, net, k, rng):
    qa = np.array([i for i in q if np.isfinite(acc[i]) and np.isfinite(cost[i])])
    nd = qa[pareto_mask(np.column_stack([acc[qa], -cost[qa]]))]
    F = P2 if VARIANT.startswith("a-pairs") else OH
    pred = Ridge(alpha=1.0).fit(F[qa], cost[qa]).predict(F)
    qset = set(q)
    nets = set(net[nd]) if VARIANT != "a-all" else set(net[qa])
    cand = []
    for n in nets:
        members = (nd if n in set(net[nd]) else qa)
        members = members[net[members] == n]
        cmax = cost[members].max()
        if VARIANT == "a-rel":  # offset from the network's queried twins
            tw_q = qa[net[qa] == n]
            base = cost[tw_q].mean() - pred[tw_q].mean()
            cand += [(pred[i] + base - cmax, i) for i in np.flatnonzero(net == n) if i not in qset]
        else:
            cand += [(pred[i] - cmax, i) for i in np.flatnonzero(net == n) if i not in qset]
    cand.sort()
    return [i for _, i in cand[:k]]


from ednag_opt.search.guided_mo import epsilon_value


def _normalised(q, acc, cost):
    """Finite queries, their non-dominated ones, range-normalised (acc, -cost) and ridge
    predictions of both for every cell."""
    qa = np.array([i for i in q if np.isfinite(acc[i]) and np.isfinite(cost[i])])
    S = np.column_stack([acc, -cost])
    nd = qa[pareto_mask(S[qa])]
    lo, hi = S[qa].min(0), S[qa].max(0)
    Z = (S - lo) / (hi - lo)
    P = np.column_stack([Ridge(alpha=1.0).fit(OH[qa], Z[qa, m]).predict(OH) for m in range(2)])
    return qa, nd, Z, P


def pick_sum(q, acc, cost, net, k, rng):
    qa, nd, Z, P = _normalised(q, acc, cost)
    qset = set(q)
    cand = []
    for n in set(net[nd]):
        F = nd[net[nd] == n]
        for i in np.flatnonzero(net == n):
            if i not in qset:
                cand.append((-(P[i] - P[F]).sum(1).max(), i))
    cand.sort()
    return [i for _, i in cand[:k]]


def pick_gen(q, acc, cost, net, k, rng):
    qa, nd, Z, P = _normalised(q, acc, cost)
    qset = set(q)
    cand = []
    for n in set(net[nd]):
        F = nd[net[nd] == n]
        tw_q = qa[net[qa] == n]
        off = Z[tw_q].mean(0) - P[tw_q].mean(0)
        worst = Z[F].min(0)
        for i in np.flatnonzero(net == n):
            if i not in qset:
                cand.append((-(P[i] + off - worst).max(), i))
    cand.sort()
    return [i for _, i in cand[:k]]


def pick_eps(q, acc, cost, net, k, rng):
    qa, nd, Z, P = _normalised(q, acc, cost)
    qset = set(q)
    cand_i = []
    base = []
    for n in set(net[nd]):
        tw_q = qa[net[qa] == n]
        off = Z[tw_q].mean(0) - P[tw_q].mean(0)
        for i in np.flatnonzero(net == n):
            if i not in qset:
                cand_i.append(i); base.append(P[i] + off)
    if not cand_i:
        return []
    v = epsilon_value(np.array(base), Z[nd])
    o = np.argsort(-v, kind="stable")
    return [cand_i[j] for j in o[:k]]


for d in bm.DATASETS:
    for dev in devices:
        c = bm.Cell(d, dev)
        archs = c.space.enumerate()
        pos = {str(a): i for i, a in enumerate(archs)}
        acc = c.acc(archs).numpy(); cost = c.cost(archs).numpy()
        net = np.array([str(c.space.prune(a).key) for a in archs])
        OH = c.space.encode(archs).reshape(len(archs), -1).numpy()
        if VARIANT.startswith("a-pairs"):
            from sklearn.preprocessing import PolynomialFeatures
            P2 = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(OH)
        front = set(np.flatnonzero(pareto_mask(np.column_stack([acc, -cost]))))
        for s in seeds:
            full = search("ednag", c.space, [c.acc, c.cost], max_queries=B, seed=s)
            order = [pos[str(a)] for a, _ in full.queries[:B]]
            row = {"cell": f"{d}/{dev}", "seed": s, "default": len(front & set(order)) / len(front)}
            for X in X_LIST:
                rng = np.random.default_rng(s)
                q = list(order[: B - X])
                while len(q) < B:
                    q += pick(q, acc, cost, net, min(BATCH, B - len(q)), rng)
                row[f"twin{X}"] = len(front & set(q)) / len(front)
            out = row
            print(json.dumps(row), flush=True)
