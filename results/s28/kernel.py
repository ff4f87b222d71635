"""Scratch (s28, tuning seeds): the sweep's Gaussian process kernel. base: the package
(0.1 x RBF(3), length scale >= 1, + white noise); matern: Matern nu=2.5 in its place
(same bounds); matern15: nu=1.5.
Usage: python results/s28/kernel.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402
from sklearn.gaussian_process import GaussianProcessRegressor  # noqa: E402
from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel  # noqa: E402

from ednag_opt.search import search  # noqa: E402

S = importlib.import_module("ednag_opt.search.sweep")
ORIG = S._gp


def matern(nu):
    def gp():
        k = ConstantKernel(0.1) * Matern(3.0, length_scale_bounds=(1.0, 1e3), nu=nu)
        return GaussianProcessRegressor(k + WhiteKernel(0.01), normalize_y=True)
    return gp


VARS = {"base": ORIG, "matern": matern(2.5), "matern15": matern(1.5)}


def run(cell, ctx, seed, var):
    S._gp = VARS[var]
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
