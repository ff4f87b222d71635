"""Where the default loses hypervolume on cifar100 x Edge TPU (tuning seeds): for each run,
the missing true-front cells and the HV each would add to the found front. python
results/s16/tpu_diag.py SEEDS [DATASET]"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import bench_multiobjective as bm
from ednag_opt.search import search
SEARCHERS = bm.SEARCHERS

seeds = bm._ints(sys.argv[1]); ds = sys.argv[2] if len(sys.argv) > 2 else "cifar100"
dev = sys.argv[3] if len(sys.argv) > 3 else "edgetpu_latency"
c = bm.Cell(ds, dev)
archs = c.space.enumerate()
V = np.column_stack([c.acc(archs).numpy(), c.cost(archs).numpy()])
ok = np.isfinite(V).all(1)
front = np.flatnonzero(bm.pareto_mask(np.where(ok[:, None], V, -np.inf) * [1.0, -1.0]) & ok)
front = front[np.argsort(V[front, 1])]
print("true front (cost asc):", len(front))
for i in front:
    print(f"  cost {V[i,1]:.4f} acc {V[i,0]:.3f}")
print("distinct costs:", len(np.unique(V[ok, 1])), "of", ok.sum())
key = {str(a): i for i, a in enumerate(archs)}
for m in sys.argv[4].split(",") if len(sys.argv) > 4 else ("ednag", "nsga2"):
    for s in seeds:
        res = search(SEARCHERS[m], c.space, [c.acc, c.cost], max_queries=1000, seed=s)
        got = [key[str(a)] for a, _ in res.queries[:1000]]
        F = np.array([v for _, v in res.pareto_front(budget=1000)])
        base = c.hv(c._norm(F))
        miss = [i for i in front if i not in set(got)]
        gains = [(c.hv(c._norm(np.vstack([F, V[i]]))) - base) / c.true_hv for i in miss]
        rank = {i: r for r, i in enumerate(front)}
        print(m, s, f"hv {base / c.true_hv:.5f}", "missing (front idx:gain e-5):",
              " ".join(f"{rank[i]}:{g*1e5:.1f}" for i, g in zip(miss, gains) if g > 2e-6))
