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

import numpy as np

from common import DATASETS_DEVICES, cell_table, front2d  # noqa: E402  (same folder)


def main() -> None:
    R = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rng = np.random.default_rng(0)
    shares = []
    print("| cell | front cells | oracle share @1000 |")
    print("|---|---|---|")
    for d, dev in DATASETS_DEVICES:
        c, archs, acc, cost, ok, pred, res, groups = cell_table(d, dev)
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
