"""The oracle of oracle_bound.py with *predicted* costs (issue 16): it knows every network's
accuracies (not which twin drew which noise) but only a ridge model's cost for each cell
(pair features, fitted on 1,000 random cells). Its 1,000 most likely cells (permutation
probabilities computed with the predicted costs) are scored against the TRUE front: how
much of the cell target cost noise alone takes away.

python results/s14/oracle_predicted.py [R]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.preprocessing import PolynomialFeatures

import bench_multiobjective as bm
from oracle_bound import front2d  # noqa: E402  (same folder)

R = int(sys.argv[1]) if len(sys.argv) > 1 else 50
rng = np.random.default_rng(0)
shares = []
print("| cell | front cells | share found by the predicted-cost oracle @1000 |")
print("|---|---|---|")
for d in bm.DATASETS:
    for dev in bm.DEVICES:
        c = bm.Cell(d, dev)
        archs = c.space.enumerate()
        acc, cost = c.acc(archs).numpy(), c.cost(archs).numpy()
        X = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(
            c.space.encode(archs).reshape(len(archs), -1).numpy())
        ok = np.flatnonzero(np.isfinite(cost) & np.isfinite(acc))
        tr = rng.choice(ok, 1000, replace=False)
        pred = Ridge(alpha=1.0).fit(X[tr], cost[tr]).predict(X)
        pred[~np.isfinite(cost)] = np.nan
        net = np.unique([str(c.space.prune(a).key) for a in archs], return_inverse=True)[1]
        groups = [g for g in (np.flatnonzero(net == k) for k in np.unique(net)) if len(g) > 1]
        hits = np.zeros(len(acc))
        for _ in range(R):
            a = acc.copy()
            for g in groups:
                a[g] = acc[rng.permutation(g)]
            hits += front2d(a, pred)
        pick = np.argsort(-hits, kind="stable")[:1000]
        true = np.flatnonzero(front2d(acc, cost))
        share = np.isin(true, pick).mean()
        shares.append(share)
        print(f"| {d} x {dev} | {len(true)} | {share:.3f} |", flush=True)
print(f"\nmean over {len(shares)} cells: {np.mean(shares):.3f}")
