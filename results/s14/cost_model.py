"""How well a ridge model predicts HW-NAS-Bench costs of NB201 cells from 900 random cells
(issue 16, session 14): one-hot, pairs, and with the pruned cell's features; and the spread
of cost among the cells of one network. python results/s14/cost_model.py"""
import sys
sys.path.insert(0, str(__import__("pathlib").Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np, bench_multiobjective as bm
from sklearn.linear_model import Ridge
from sklearn.preprocessing import PolynomialFeatures
from sklearn.ensemble import RandomForestRegressor
rng = np.random.default_rng(0)
for d, dev in [("cifar10", "raspi4_latency"), ("cifar10", "edgegpu_latency"), ("cifar10", "pixel3_latency"), ("cifar10","fpga_latency")]:
    c = bm.Cell(d, dev); archs = c.space.enumerate()
    cost = c.cost(archs).numpy(); ok = np.flatnonzero(np.isfinite(cost))
    OH = c.space.encode(archs).reshape(len(archs), -1).numpy()
    P2 = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(OH)
    tr = rng.choice(ok, 900, replace=False); te = np.setdiff1d(ok, tr)
    low = te[cost[te] < np.quantile(cost[ok], 0.3)]
    for name, X, m in [("ridge", OH, Ridge(1.0)), ("pairs", P2, Ridge(1.0)), ("logpairs", P2, "log")]:
        if m == "log":
            mm = Ridge(1.0).fit(X[tr], np.log(cost[tr] + 1e-3)); pr = np.exp(mm.predict(X)) - 1e-3
        else:
            pr = m.fit(X[tr], cost[tr]).predict(X)
        print(d, dev, name, "rmse all %.3f low %.3f  std %.3f" % (np.sqrt(np.mean((pr[te]-cost[te])**2)), np.sqrt(np.mean((pr[low]-cost[low])**2)), cost[ok].std()))
print("--- with pruned features")
for d, dev in [("cifar10", "raspi4_latency"), ("cifar10", "edgegpu_latency"), ("cifar10", "pixel3_latency")]:
    c = bm.Cell(d, dev); archs = c.space.enumerate()
    cost = c.cost(archs).numpy(); ok = np.flatnonzero(np.isfinite(cost))
    OH = c.space.encode(archs).reshape(len(archs), -1).numpy()
    PR = c.space.encode([c.space.prune(a) for a in archs]).reshape(len(archs), -1).numpy()
    pf = PolynomialFeatures(2, interaction_only=True, include_bias=False)
    X1 = np.hstack([OH, PR]); X2 = np.hstack([pf.fit_transform(OH), pf.fit_transform(PR)])
    net = np.unique([str(c.space.prune(a).key) for a in archs], return_inverse=True)[1]
    tr = rng.choice(ok, 900, replace=False); te = np.setdiff1d(ok, tr)
    low = te[cost[te] < np.quantile(cost[ok], 0.3)]
    for name, X in [("raw+pruned", X1), ("pairs raw+pruned", X2)]:
        pr = Ridge(1.0).fit(X[tr], cost[tr]).predict(X)
        print(d, dev, name, "rmse all %.3f low %.3f" % (np.sqrt(np.mean((pr[te]-cost[te])**2)), np.sqrt(np.mean((pr[low]-cost[low])**2))))
    # within-network spread of cost (noise floor for twins)
    g = [cost[net == k] for k in np.unique(net)]
    g = [x[np.isfinite(x)] for x in g if np.isfinite(x).sum() > 1]
    print("   within-network cost sd %.3f" % np.sqrt(np.mean([x.var() for x in g])))
