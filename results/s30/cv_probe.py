"""Issue 13, session 30 probe: at the prior's first stall, does cross-validation on the
queries so far tell a misleading prior (drop it) from a slow but right one (keep it)?
python results/s30/cv_probe.py TASKS SEEDS   (tuning prior 100, budget 400)"""
import sys
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_transfer as bt  # noqa: E402
from ednag_opt import search  # noqa: E402
from ednag_opt.fitness import CachedFitness  # noqa: E402
from ednag_opt.fitness.predictors import ArchSurrogate, PriorSurrogate  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

import torch  # noqa: E402

torch.set_num_threads(1)
part = "transnas-micro"
space = get_space(bt.SPACES[part])
for task in sys.argv[1].split(","):
    path = bt.meta_train((part, task, "transfer", 100, "cpu"))[0]
    fit = bt.fitness(part, task)
    for seed in range(*map(int, sys.argv[2].split("-"))):
        prior = PriorSurrogate.load(path, space=space)
        res = search("surrogate", space, CachedFitness(fit), max_queries=400, seed=seed,
                     prior=prior, optimizer="exhaustive", prior_stall="drop")
        at = res.extras["prior_dropped_at"]
        if at is None:
            print(task, seed, "no stall", res.queries_to_reach(fit.optimum().value))
            continue
        data = res.queries[:at]
        a = [x for x, _ in data]
        y = np.array([v for _, v in data])
        folds = np.arange(len(y)) % 5
        pr, nt = np.empty(len(y)), np.empty(len(y))
        for k in range(5):
            tr, te = folds != k, folds == k
            ta = [a[i] for i in np.flatnonzero(tr)]
            tea = [a[i] for i in np.flatnonzero(te)]
            pr[te] = prior.adapt(ta, y[tr], seed=k).predict(tea)
            nt[te] = ArchSurrogate(space, seed=k).fit(ta, y[tr]).predict(tea)
        rp, rn = stats.spearmanr(pr, y)[0], stats.spearmanr(nt, y)[0]
        print(task, seed, "stall at", at, f"cv spearman prior {rp:.3f} no-transfer {rn:.3f}",
              "hit", res.queries_to_reach(fit.optimum().value), flush=True)
