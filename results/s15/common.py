"""Shared set-up of the session-15 oracle scripts (issue 16): one cell's table, costs
cross-fitted from the other cells, and the twin groups (cells of one pruned network)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s14"))
import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.model_selection import KFold

import bench_multiobjective as bm
from oracle_bound import DEVICES, front2d  # noqa: E402,F401  (re-exported)

DATASETS_DEVICES = [(d, dev) for d in bm.DATASETS for dev in DEVICES]


def cell_table(d: str, dev: str):
    """(cell, archs, acc, cost, ok, pred, res, groups): ``pred`` is each cell's cost from a
    10-fold cross-fitted gradient-boosting model on the one-hot encoding, ``res`` the
    residuals of the measured cells, ``groups`` the twin groups with more than one cell."""
    c = bm.Cell(d, dev)
    archs = c.space.enumerate()
    acc, cost = c.acc(archs).numpy(), c.cost(archs).numpy()
    X = c.space.encode(archs).reshape(len(archs), -1).numpy()
    ok = np.flatnonzero(np.isfinite(acc) & np.isfinite(cost))
    pred = np.full(len(acc), np.nan)
    for tr, te in KFold(10, shuffle=True, random_state=0).split(ok):
        m = HistGradientBoostingRegressor(max_iter=300, random_state=0)
        pred[ok[te]] = m.fit(X[ok[tr]], cost[ok[tr]]).predict(X[ok[te]])
    res = cost[ok] - pred[ok]
    net = np.unique([str(c.space.prune(a).key) for a in archs], return_inverse=True)[1]
    groups = [g for g in (np.flatnonzero(net == k) for k in np.unique(net)) if len(g) > 1]
    return c, archs, acc, cost, ok, pred, res, groups
