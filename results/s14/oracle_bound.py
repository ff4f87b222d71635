"""How many NB201 front cells could ANY search expect to find in 1,000 queries if it knew
every cell's cost and every network's accuracies, but not which twin (cell of the same
pruned network) drew which training noise (issue 16)?

Twins compute one function, so their accuracies are exchangeable a priori. Permuting the
accuracies within each network R times gives each cell's probability P of being on the
front; the best fixed set of 1,000 queries finds sum(top-1000 P) front cells in
expectation, against E|front|. This is an oracle well beyond what a search can know
(it knows every cost and every network's accuracies without querying), so its share
is a reference point, not a proof: an adaptive oracle could do somewhat better.

python results/s14/oracle_bound.py [R]
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np

import bench_multiobjective as bm

DEVICES = ("edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency",
           "fpga_latency", "edgetpu_latency", "eyeriss_energy", "eyeriss_latency", "fpga_energy")


def front2d(acc, cost):
    """Non-dominated mask for (max acc, min cost); NaN rows never on it."""
    ok = np.isfinite(acc) & np.isfinite(cost)
    idx = np.flatnonzero(ok)
    o = idx[np.lexsort((-acc[idx], cost[idx]))]  # cost asc, then acc desc
    mask = np.zeros(len(acc), bool)
    best = -np.inf
    for i in o:
        if acc[i] > best:
            mask[i] = True
            best = acc[i]
    return mask


def main() -> None:
    R = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = np.random.default_rng(0)
    shares = []
    print("| cell | front cells | E front (permuted) | oracle's expected share @1000 |")
    print("|---|---|---|---|")
    for d in bm.DATASETS:
        for dev in DEVICES:
            c = bm.Cell(d, dev)
            archs = c.space.enumerate()
            acc, cost = c.acc(archs).numpy(), c.cost(archs).numpy()
            net = np.unique([str(c.space.prune(a).key) for a in archs], return_inverse=True)[1]
            groups = [np.flatnonzero(net == g) for g in np.unique(net)]
            groups = [g for g in groups if len(g) > 1]
            hits = np.zeros(len(acc))
            sizes = []
            for _ in range(R):
                a = acc.copy()
                for g in groups:
                    a[g] = acc[rng.permutation(g)]
                m = front2d(a, cost)
                hits += m
                sizes.append(m.sum())
            P = hits / R
            share = np.sort(P)[::-1][:1000].sum() / np.mean(sizes)
            shares.append(share)
            true = front2d(acc, cost).sum()
            print(f"| {d} x {dev} | {true} | {np.mean(sizes):.1f} | {share:.3f} |", flush=True)
    print(f"\nmean over {len(shares)} cells: {np.mean(shares):.3f}; cells >= 0.9: "
          f"{sum(s >= 0.9 for s in shares)}")


if __name__ == "__main__":
    main()
