"""Scratch (s26): where the default cost-lookup run misses front cells.
Usage: python results/s26/diag.py DATASET DEVICE SEEDS"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from ednag_opt.search import search  # noqa: E402

torch.set_num_threads(1)
c = bm.Cell(sys.argv[1], sys.argv[2])
A = c.space.enumerate()
acc, cost = c.acc(A).numpy().astype(float), c.cost(A).numpy().astype(float)
keys = [str(a) for a in A]
net = np.array([c.space.prune(a).key for a in A])
front = np.array([k in c.front_keys for k in keys])
print("front cells", front.sum(), "networks", len(c.front_nets), "distinct costs", len(np.unique(cost[np.isfinite(cost)])))
# per front cell: is it the cheapest twin of its network? how many twins
for s in bm._ints(sys.argv[3]):
    res = search("ednag", c.space, [c.acc, c.cost], max_queries=1000, seed=s, cheap=[1], twins="auto")
    q = [str(a) for a, _ in res.queries[:1000]]
    origin = [i.get("origin") if isinstance(i, dict) else None for i in getattr(res, "infos", [None]*len(q))]
    qs = set(q)
    qn = {c.space.prune(a).key for a, _ in res.queries[:1000]}
    miss = [i for i in np.flatnonzero(front) if keys[i] not in qs]
    nomiss = sum(net[i] not in qn for i in miss)
    print(f"seed {s}: missed {len(miss)} cells, {nomiss} of whose networks unqueried")
    for i in miss:
        tw = np.flatnonzero(net == net[i])
        cheapest = cost[tw].min()
        print(f"   acc {acc[i]:.2f} cost {cost[i]:.3f} rank-cost {np.mean(cost < cost[i]):.3f} twins {len(tw)} cheapest-twin-cost {cheapest:.3f} net-queried {net[i] in qn} nq-twins {sum(keys[t] in qs for t in tw)}")
