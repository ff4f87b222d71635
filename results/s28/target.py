"""Scratch (s28, tuning seeds): the sweep's Gaussian process fitted on the accuracies
themselves, floored at their 10th percentile (the dead and broken networks' long tail cut),
instead of their quantile ranks. "base": the package. The bar is computed on the same
scale. Usage: python results/s28/target.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402

from ednag_opt.search import search  # noqa: E402

S = importlib.import_module("ednag_opt.search.sweep")
ORIG = S.Sweep.batch


def raw_batch(self, queried, gain, k):
    pos = np.array([self.index.position[q] for q in queried], dtype=np.int64)
    gain = np.asarray(gain, dtype=np.float64)
    ok = np.isfinite(gain) & np.isfinite(self.costs[pos]) & (self.row[pos] >= 0)
    done = np.isin(self.index.network[self.reps], self.index.network[pos])
    cand = self.reps[~done]
    if ok.sum() < 2 or k < 1 or not len(cand):
        return [], 0.0
    fit, g = pos[ok], gain[ok]
    y = np.maximum(g, np.quantile(g, 0.1))
    c = self.costs[cand]
    value, chance = self.value(self.X[self.row[fit]], y, self.X[self.row[cand]],
                               S.best_at_or_below(self.costs[fit], y, c))
    top = np.lexsort((c, -value))[:k]
    return [self.index.archs[i] for i in cand[top]], float(chance[top].sum())


def run(cell, ctx, seed, var):
    S.Sweep.batch = raw_batch if var == "raw" else ORIG
    return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                  cheap=[1], twins="auto")


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
