"""Scratch (session 24, #16): is a twin's accuracy predictable from its signal-free
operations? Cross-validated R^2 of a ridge model on the cell's encoding (one-hot, and
with pair products) within each NAS-Bench-201 network of 300+ cells.

Usage: python results/s24/twin_signal.py
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.linear_model import RidgeCV  # noqa: E402
from sklearn.model_selection import cross_val_predict  # noqa: E402
from sklearn.preprocessing import PolynomialFeatures  # noqa: E402

from ednag_opt.search.twins import TwinIndex  # noqa: E402

for ds in ["cifar10", "cifar100", "ImageNet16-120"]:
    c = bm.Cell(ds, "edgegpu_energy")
    idx = TwinIndex(c.space, str)
    acc = c.acc(idx.archs).numpy()
    X = c.space.encode(idx.archs).reshape(len(idx.archs), -1).numpy()
    for n in np.flatnonzero(np.bincount(idx.network) >= 300):
        m = idx.network == n
        y = acc[m]
        if y.std() < 1e-9:
            print(ds, "network of", m.sum(), "cells: constant accuracy", round(float(y[0]), 3))
            continue
        pairs = PolynomialFeatures(2, interaction_only=True, include_bias=False).fit_transform(X[m])
        for name, F in (("onehot", X[m]), ("pairs", pairs)):
            pred = cross_val_predict(RidgeCV(alphas=np.logspace(-2, 3, 12)), F, y, cv=5)
            r2 = 1 - np.mean((y - pred) ** 2) / np.var(y)
            print(f"{ds} network of {m.sum()} cells: accuracy {y.mean():.2f} +- {y.std():.3f}, "
                  f"{name} CV R2 {r2:.3f}")
