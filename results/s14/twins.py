"""How front cells of NB201 x HW-NAS-Bench relate to twins (cells of one pruned network)."""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import bench_multiobjective as bm
from ednag_opt.strategy.pareto import pareto_mask

for d in bm.DATASETS:
    for dev in bm.DEVICES:
        c = bm.Cell(d, dev)
        archs = c.space.enumerate()
        acc = c.acc(archs).numpy(); cost = c.cost(archs).numpy()
        net = np.array([str(c.space.prune(a).key) for a in archs])
        front = np.flatnonzero(pareto_mask(np.column_stack([acc, -cost])))
        fn = sorted(set(net[front]))
        twins = {n: np.flatnonzero(net == n) for n in fn}
        ntw = sum(len(v) for v in twins.values())
        # twins of a front network no costlier than its costliest front member
        cheap = 0
        for n in fn:
            t = twins[n]; fm = front[net[front] == n]
            cheap += int((cost[t] <= cost[fm].max() + 1e-12).sum())
        # cost identical among twins?
        same = np.mean([np.ptp(cost[twins[n]]) < 1e-9 for n in fn])
        print(f"{d:15s} {dev:18s} front {len(front):3d} nets {len(fn):3d} twins {ntw:5d} "
              f"cheap-twins {cheap:5d} same-cost-nets {same:.2f}", flush=True)
