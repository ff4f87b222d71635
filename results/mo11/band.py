"""For each cell: front networks' canonical-cell distance (additive epsilon, normalised) to the
true front, and how many networks lie within that band."""
import sys, numpy as np
sys.path.insert(0, "benchmarks")
from bench_multiobjective import Cell
for ds, dev in [("ImageNet16-120", "raspi4_latency"), ("cifar10", "raspi4_latency"),
                ("ImageNet16-120", "fpga_latency"), ("cifar10", "pixel3_latency")]:
    c = Cell(ds, dev)
    archs = c.space.enumerate()
    V = np.column_stack([c.acc(archs).numpy(), c.cost(archs).numpy()])
    N = c._norm(V)  # minimise both
    canon = {}
    for i, a in enumerate(archs):
        k = c.space.prune(a).key
        if str(a) == str(c.space.prune(a)):
            canon[k] = i
    front = N[[i for i, a in enumerate(archs) if str(a) in c.front_keys]]
    def eps(x):  # smallest uniform shift making x non-dominated vs front: min_f max_m (x_m - f_m)
        return np.min(np.max(x[None, :] - front, axis=1))
    ce = {k: eps(N[i]) for k, i in canon.items() if np.isfinite(N[i]).all()}
    fe = sorted(ce[k] for k in c.front_nets if k in ce)
    allv = np.array(list(ce.values()))
    print(ds, dev, "front nets", len(c.front_nets), "canonical eps of front nets: q50 %.4f q90 %.4f max %.4f" % (np.median(fe), np.quantile(fe, .9), max(fe)))
    for w in (0.005, 0.01, 0.02, 0.03, 0.05):
        print(f"   band {w}: networks within {np.sum(allv <= w)}, front nets within {sum(e <= w for e in fe)}")
