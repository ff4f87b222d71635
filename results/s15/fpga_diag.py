"""Why the default misses FPGA / Eyeriss front cells, whose costs a model predicts almost
exactly (issue 16, session 15; tuning seeds). python results/s15/fpga_diag.py DATASET DEVICE SEED"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
import torch
import bench_multiobjective as bm
from common import front2d  # noqa: E402  (same folder)
from ednag_opt.search import search

torch.set_num_threads(1)
d, dev, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
c = bm.Cell(d, dev)
archs = c.space.enumerate()
acc, cost = c.acc(archs).numpy(), c.cost(archs).numpy()
keys = [str(a) for a in archs]
pos = {k: i for i, k in enumerate(keys)}
net = np.unique([str(c.space.prune(a).key) for a in archs], return_inverse=True)[1]
res = search("ednag", c.space, [c.acc, c.cost], max_queries=1000, seed=seed)
q = np.array([pos[str(a)] for a, _ in res.queries[:1000]])
true = np.flatnonzero(front2d(acc, cost))
found = np.flatnonzero(front2d(np.where(np.isin(np.arange(len(acc)), q), acc, np.nan), cost))
print(f"{d} x {dev} seed {seed}: front {len(true)}, found {np.isin(true, q).sum()}; "
      f"distinct cost values {len(np.unique(cost[np.isfinite(cost)]))}")
qnets = set(net[q]); fnets = set(net[found])
for i in true:
    same = np.flatnonzero(cost == cost[i])
    lvl_rank = int((acc[same] > acc[i]).sum())
    tw = np.flatnonzero(net == net[i])
    print(f"  {'HIT ' if i in q else 'miss'} acc {acc[i]:.2f} cost {cost[i]:.4f} cells at this cost {len(same)}, "
          f"queried there {np.isin(same, q).sum()}, net twins {len(tw)} (queried {np.isin(tw, q).sum()}), "
          f"net found non-dominated {net[i] in fnets}, best queried acc at this cost "
          f"{acc[np.intersect1d(same, q)].max() if np.isin(same, q).any() else float('nan'):.2f}")
