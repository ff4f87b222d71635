"""The generous oracle of oracle_cost.py without its knowledge of each cell's own accuracy
(issue 16, session 15). It knows every network's accuracies but not which twin (cell of
the same pruned network) drew which training noise (as results/s14/oracle_bound.py), and
every cell's cost only as a prediction from ~14,000 other cells (10-fold cross-fitted
gradient boosting, as oracle_cost.py) plus a residual drawn from the observed residuals.
Each cell's probability of being on the front is estimated over R joint draws; the oracle
queries the 1,000 most probable cells. Printed: the share of the true front among them.

python results/s15/oracle_both.py [R]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s14"))
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import KFold

import bench_multiobjective as bm
from oracle_bound import DEVICES, front2d  # noqa: E402


def main() -> None:
    R = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = np.random.default_rng(0)
    shares = []
    print("| cell | front cells | oracle share @1000 |")
    print("|---|---|---|")
    for d in bm.DATASETS:
        for dev in DEVICES:
            c = bm.Cell(d, dev)
            archs = c.space.enumerate()
            acc, cost = c.acc(archs).numpy(), c.cost(archs).numpy()
            X = c.space.encode(archs).reshape(len(archs), -1).numpy()
            ok = np.flatnonzero(np.isfinite(acc) & np.isfinite(cost))
            pred = np.full(len(acc), np.nan)
            for tr, te in KFold(10, shuffle=True, random_state=0).split(ok):
                m = HistGradientBoostingRegressor(max_iter=300, random_state=0)
                pred[ok[te]] = m.fit(X[ok[tr]], cost[ok[tr]]).predict(X[ok[te]])
            res = cost[ok] - pred[ok]
            net = np.unique([str(c.space.prune(a).key) for a in archs], return_inverse=True)[1]
            groups = [g for g in (np.flatnonzero(net == k) for k in np.unique(net)) if len(g) > 1]
            hits = np.zeros(len(acc))
            for _ in range(R):
                a = acc.copy()
                for g in groups:
                    a[g] = acc[rng.permutation(g)]
                cst = np.full(len(acc), np.nan)
                cst[ok] = pred[ok] + rng.choice(res, len(ok))
                hits += front2d(a, cst)
            pick = np.argsort(-hits, kind="stable")[:1000]
            true = np.flatnonzero(front2d(acc, cost))
            shares.append(float(np.isin(true, pick).mean()))
            print(f"| {d} x {dev} | {len(true)} | {shares[-1]:.3f} |", flush=True)
    s = np.array(shares)
    print(f"\nmean share @1000 {s.mean():.3f}; cells at >= 90%: {int((s >= 0.9).sum())} of {len(s)}")


if __name__ == "__main__":
    main()
