"""Scratch (s26): front networks missed by each sweep model. Usage: diag2.py DS DEV SEED"""
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
for m in ("ridge", "gp"):
    res = search("ednag", c.space, [c.acc, c.cost], max_queries=1000, seed=int(sys.argv[3]),
                 cheap=[1], twins="auto", sweep_model=m)
    qn = {c.space.prune(a).key: i for i, (a, _) in enumerate(res.queries[:1000])}
    print(m, "missed networks:")
    for n in sorted(c.front_nets - set(qn)):
        i = np.flatnonzero((net == n) & front)
        print("   ", n, "acc", acc[i].round(2), "cost", cost[i].round(3), "cost-rank", np.mean(cost < cost[i].min()).round(3))
    print(m, "sweep found front networks at query index:", sorted(i for n, i in qn.items() if n in c.front_nets and 300 <= i < 500))
