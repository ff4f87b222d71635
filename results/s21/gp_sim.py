"""Scratch (session 21): a GP on the prior's head scores (and the one-hot) with expected
improvement, simulated on TransNAS tuning priors (seed 100). First query: the prior's best;
until ``warm`` queries, the prior's order; then each round the top ``k`` unqueried cells by
EI under a GP (ARD RBF + white noise, fitted by marginal likelihood) on standardised y.

Usage: python results/s21/gp_sim.py FEATURES SEEDS [WARM]   (FEATURES: heads | heads+onehot)
"""
from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from scipy.stats import norm
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_transfer as bt  # noqa: E402
from ednag_opt.fitness.predictors import PriorSurrogate  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

warnings.filterwarnings("ignore")


def run(F, prior_score, y, seed, k=3, warm=3, budget=100):
    rng = np.random.default_rng(seed)
    opt = np.nanmax(y)
    order = np.argsort(-(prior_score + 1e-9 * rng.standard_normal(len(y))))
    asked: list[int] = []
    taken = np.zeros(len(y), bool)
    while len(asked) < budget:
        if len(asked) < warm:
            nxt = [i for i in order if not taken[i]][: min(k, warm - len(asked)) or k]
        else:
            yy = y[asked]
            t = (yy - yy.mean()) / (yy.std() + 1e-12)
            d = F.shape[1]
            kern = ConstantKernel(1.0) * RBF(np.ones(d), (1e-2, 1e2)) + WhiteKernel(0.1, (1e-4, 1.0))
            gp = GaussianProcessRegressor(kern, normalize_y=False, random_state=seed)
            gp.fit(F[asked], t)
            cand = np.flatnonzero(~taken)
            mu, sd = gp.predict(F[cand], return_std=True)
            best = t.max()
            zz = (mu - best) / np.maximum(sd, 1e-9)
            ei = (mu - best) * norm.cdf(zz) + sd * norm.pdf(zz)
            nxt = list(cand[np.argsort(-ei, kind="stable")[:k]])
        for i in nxt:
            asked.append(int(i))
            taken[i] = True
            if y[i] >= opt:
                return len(asked)
    return None


def main() -> None:
    feats, seeds = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
    warm = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    for part in ("transnas-micro", "transnas-macro"):
        space = get_space(bt.SPACES[part])
        archs = list(space.enumerate())
        onehot = space.encode(archs).reshape(len(archs), -1).numpy()
        for task in bt.tasks_of(part):
            y = bt.fitness(part, task)(archs).numpy().astype(float)
            p = PriorSurrogate.load(bt.OUT / f"prior_{part}_{task}_transfer_100.pt", space=space)
            z = p.predict_heads(archs).mean(0).double().numpy().T  # (N, K)
            F = z if feats == "heads" else np.hstack([z, onehot])
            qs = [run(F, z.mean(1), y, s, warm=warm) for s in seeds]
            print(f"{part[9:]:5s} {task:16s}", ",".join(str(q) if q else "-" for q in qs), flush=True)


if __name__ == "__main__":
    main()
