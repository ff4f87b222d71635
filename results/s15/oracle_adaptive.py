"""The oracle of oracle_both.py made adaptive (issue 16, session 15): it queries in batches
of B, and after each batch it conditions on what it has seen. A queried cell's accuracy and
cost are known; the accuracies its twins can still take are the network's remaining values
(permuted among the unqueried twins); unqueried costs are the cross-fitted prediction plus
a resampled residual. Each batch takes the B unqueried cells most often on the front over
R joint draws. Printed: the share of the true front it has queried after 1,000 queries.

python results/s15/oracle_adaptive.py [R] [B]
"""
import sys

import numpy as np

from common import DATASETS_DEVICES, cell_table, front2d  # noqa: E402  (same folder)


def draw(acc, pred, res, ok, seen, groups, rng):
    a = acc.copy()
    for g in groups:
        free = g[~seen[g]]
        if len(free) > 1:  # the values not yet revealed, permuted over the unqueried twins
            a[free] = acc[rng.permutation(free)]
    cst = np.full(len(acc), np.nan)
    cst[ok] = pred[ok] + rng.choice(res, len(ok))
    return a, cst


def main() -> None:
    R = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    B = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    rng = np.random.default_rng(0)
    shares = []
    print(f"| cell | front cells | adaptive oracle share @1000 (batches of {B}) |")
    print("|---|---|---|")
    for d, dev in DATASETS_DEVICES:
        c, archs, acc, cost, ok, pred, res, groups = cell_table(d, dev)
        seen = np.zeros(len(acc), bool)
        while seen.sum() < 1000:
            hits = np.zeros(len(acc))
            for _ in range(R):
                a, cst = draw(acc, pred, res, ok, seen, groups, rng)
                cst[seen] = cost[seen]
                hits += front2d(a, cst)
            hits[seen] = -1
            hits[~np.isin(np.arange(len(acc)), ok)] = -1
            seen[np.argsort(-hits, kind="stable")[:min(B, 1000 - seen.sum())]] = True
        true = np.flatnonzero(front2d(acc, cost))
        shares.append(float(seen[true].mean()))
        print(f"| {d} x {dev} | {len(true)} | {shares[-1]:.3f} |", flush=True)
    s = np.array(shares)
    print(f"\nmean share @1000 {s.mean():.3f}; cells at >= 90%: {int((s >= 0.9).sum())} of {len(s)}")


if __name__ == "__main__":
    main()
