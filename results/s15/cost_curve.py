"""Learning curves of HW-NAS-Bench cost models on NB201 cells (issue 16, session 15): is the
part of a cell's cost a ridge model misses structure (falls with more data / richer models)
or measurement noise (flat)? python results/s15/cost_curve.py"""
import sys
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
from sklearn.linear_model import Ridge
from sklearn.preprocessing import PolynomialFeatures
from sklearn.ensemble import HistGradientBoostingRegressor
import bench_multiobjective as bm

rng = np.random.default_rng(0)
for d, dev in [("cifar10", "raspi4_latency"), ("cifar10", "edgegpu_latency"), ("cifar10", "pixel3_latency"), ("cifar10", "edgegpu_energy")]:
    c = bm.Cell(d, dev); archs = c.space.enumerate()
    cost = c.cost(archs).numpy(); ok = np.flatnonzero(np.isfinite(cost))
    OH = c.space.encode(archs).reshape(len(archs), -1).numpy()
    P2 = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(OH)
    P3 = PolynomialFeatures(3, interaction_only=True, include_bias=False).fit_transform(OH)
    for n in (900, 3000, 10000):
        tr = rng.choice(ok, n, replace=False); te = np.setdiff1d(ok, tr)
        out = []
        for name, X, m in [("oh", OH, Ridge(1.0)), ("pairs", P2, Ridge(1.0)), ("triples", P3, Ridge(3.0)),
                           ("gbm", OH, HistGradientBoostingRegressor(max_iter=300, random_state=0))]:
            pr = m.fit(X[tr], cost[tr]).predict(X[te])
            out.append(f"{name} {np.sqrt(np.mean((pr - cost[te])**2)):.3f}")
        print(d, dev, n, "sd %.2f" % cost[ok].std(), " ".join(out), flush=True)
