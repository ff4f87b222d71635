import sys, json
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np, torch
import bench_multiobjective as bm
from ednag_opt import search
from ednag_opt.strategy.pareto import pareto_mask
torch.set_num_threads(1)
for d in bm.DATASETS:
    for dev in ["edgegpu_latency", "raspi4_latency"]:
        c = bm.Cell(d, dev); archs = c.space.enumerate(); pos = {str(a): i for i, a in enumerate(archs)}
        acc = c.acc(archs).numpy(); cost = c.cost(archs).numpy()
        net = np.array([str(c.space.prune(a).key) for a in archs])
        front = np.flatnonzero(pareto_mask(np.column_stack([acc, -cost])))
        for s in [100]:
            full = search("ednag", c.space, [c.acc, c.cost], max_queries=1000, seed=s)
            order = [pos[str(a)] for a, _ in full.queries[:1000]]
            for at in (700, 900, 1000):
                q = set(order[:at]); qn = set(net[list(q)])
                miss = [i for i in front if i not in q]
                tw = [i for i in miss if net[i] in qn]
                # twin-net queried cells: is the missing one's twin on the found front?
                V = np.column_stack([acc[list(q)], -cost[list(q)]]); nd = np.array(list(q))[pareto_mask(V)]
                ndn = set(net[nd])
                tnd = [i for i in miss if net[i] in ndn]
                print(d, dev, at, "front", len(front), "missing", len(miss), "net queried", len(tw), "net nondominated", len(tnd))
