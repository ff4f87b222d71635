"""Tuning (issue 18, session 16): the single-objective default with a Gaussian-process guide
in place of its ridge regression (same interface: the rank quantile of the fitness, fitted on
every query so far; each particle takes the best new of its 16 + 16 candidates by the GP's
posterior mean, or mean + KAPPA * sd). Monkeypatches ``search.ednag.make_guide`` and runs
``benchmarks/tune_small.py``'s ``run`` (tuning seeds only; records in results/t18/).

python results/s16/tune_gp.py LABEL LENGTH2 NOISE KAPPA SEEDS [BENCH]
"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import torch
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

import tune_small
from ednag_opt.search.guided import RidgeGuide

label, l2, noise, kappa, seeds = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
bench_name = sys.argv[6] if len(sys.argv) > 6 else "transnas"


class GPGuide(RidgeGuide):
    """RidgeGuide's data handling, a GP on the one-hot encoding as the model:
    k(a, b) = exp(-rows differing / LENGTH2) + NOISE on the diagonal, rank targets."""

    def observe(self, archs, values, maximize=True):
        y = np.asarray(values, dtype=np.float64).reshape(-1)
        keep = np.isfinite(y)
        if keep.any():
            self._x.append(self.features([a for a, k in zip(archs, keep) if k]))
            self._y.append(y[keep] if maximize else -y[keep])
        n = self.n_observed
        if n < self.min_samples:
            self.model = None
            return self
        y = np.concatenate(self._y)
        rank = np.argsort(np.argsort(y, kind="stable"), kind="stable") / max(n - 1, 1)
        kern = ConstantKernel(1.0, "fixed") * RBF(np.sqrt(2 * l2), "fixed") + WhiteKernel(noise, "fixed")
        self.model = GaussianProcessRegressor(kern, normalize_y=True, optimizer=None).fit(
            np.concatenate(self._x), rank)
        return self

    def predict(self, archs, validate=True):
        if self.model is None:
            return np.zeros(len(archs))
        if kappa == 0:
            return self.model.predict(self.features(archs, validate))
        m, s = self.model.predict(self.features(archs, validate), return_std=True)
        return m + kappa * s


ed = importlib.import_module("ednag_opt.search.ednag")
ed.make_guide = lambda space, features="auto", alpha=3.0, min_samples=5: GPGuide(space, alpha, min_samples)
torch.set_num_threads(1)
a, b = (int(x) for x in seeds.split("-"))
tune_small.run(bench_name, label, {}, list(range(a, b + 1)), None)
