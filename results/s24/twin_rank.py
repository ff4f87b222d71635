"""Scratch (session 24, #16, tuning seeds): after a cost-lookup search, where the missed
front cells rank in the twin phase's final ordering, and their networks' queried twins.

Usage: python results/s24/twin_rank.py DATASET DEVICE SEED
"""
import importlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402

from ednag_opt import search  # noqa: E402

tw = importlib.import_module("ednag_opt.search.twins")
ds, dev, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
cell = bm.Cell(ds, dev)
res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
             cheap=[1], twins="auto")
index = tw.TwinIndex(cell.space, str)
V = np.column_stack([cell.acc(index.archs).numpy(), cell.cost(index.archs).numpy()])
keys = [str(a) for a, _ in res.queries]
P = np.array([index.position[k] for k in keys])
seen = np.zeros(len(index.archs), bool)
seen[P] = True
order = tw._exact_staircase(index, P, V[P, 0], V[P, 1], V[:, 1], seen)
rank = {int(i): r for r, i in enumerate(order)}
start = 800 if dev.startswith(("eyeriss", "fpga")) else 500  # the twin phase's first query
twin_q = [index.position[str(a)] for a, _ in res.queries[start:]]
hits = sum(index.keys[i] in cell.front_keys for i in twin_q)
print("twin-phase queries on front:", hits, "of", len(twin_q))
for k in sorted(cell.front_keys, key=lambda k: V[index.position[k], 1]):
    i = index.position[k]
    if seen[i]:
        continue
    n = index.network[i]
    q = P[index.network[P] == n]
    print(f"missed acc {V[i,0]:.2f} cost {V[i,1]:.3f} net size {(index.network == n).sum()} "
          f"queried twins {len(q)} (mean acc {V[q,0].mean() if len(q) else float('nan'):.2f}) "
          f"rank {rank.get(i, 'not a candidate')}")
