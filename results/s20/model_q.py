"""Session 20 diagnosis: how well do guide models order candidates near the top of a run?

python results/s20/model_q.py SEED BUDGET [ofa | nb201:DATASET | micro:TASK | macro:TASK]

Runs the default for BUDGET queries, then draws 40 random k-row moves (k = 1, 2, 6) from
each of the run's 10 best architectures and scores them with the benchmark. Each model is
a ridge regression (alpha 3, as the guide) on the run's queries with another regression
target; prints its Spearman with the truth over all candidates and the mean regret of its
pick among each architecture's 40 (x100). Then 5-fold cross-validated Spearman of three
targets on the run's own queries.
"""

import importlib
import sys

import numpy as np
import torch
from scipy.stats import norm, spearmanr
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold
from sklearn.preprocessing import PowerTransformer

from ednag_opt import search
from ednag_opt.fitness import CachedFitness, NB201Fitness, TransNASFitness
from ednag_opt.fitness.predictors import OFAAccuracyPredictor
from ednag_opt.spaces import get_space

torch.set_num_threads(1)
G = importlib.import_module("ednag_opt.search.guided")
seed, budget = int(sys.argv[1]), int(sys.argv[2])
which = sys.argv[3] if len(sys.argv) > 3 else "ofa"
if which == "ofa":
    sp, f = get_space("mobilenetv3"), CachedFitness(OFAAccuracyPredictor())
elif which.startswith("nb201"):
    sp = get_space("nas-bench-201")
    f = CachedFitness(NB201Fitness(which.split(":")[1], metric="val"))
else:
    part, task = which.split(":")
    sp, f = get_space(f"transnas-{part}"), CachedFitness(TransNASFitness(task, space=part))
res = search("ednag", sp, f, max_queries=budget, seed=seed)
archs = [a for a, _ in res.queries]
sgn = 1.0 if getattr(f, "maximize", True) else -1.0
y = sgn * np.array([v for _, v in res.queries])
X = sp.encode(archs).reshape(len(archs), -1).numpy()
mask = np.asarray(sp.mask)
choice = sp.encode(archs).argmax(-1).numpy()
rng = np.random.default_rng(0)


def moves(c: np.ndarray, k: int, n: int) -> np.ndarray:
    """``n`` copies of the choice vector ``c``, each with ``k`` random rows changed."""
    out = []
    for _ in range(n):
        c2 = c.copy()
        for r in rng.choice(len(c), k, replace=False):
            c2[r] = rng.choice([j for j in np.flatnonzero(mask[r]) if j != c[r]])
        out.append(c2)
    return np.array(out)


def decode(C: np.ndarray) -> list:
    z = np.zeros((len(C), *mask.shape))
    z[np.arange(len(C))[:, None], np.arange(mask.shape[0])[None], C] = 1
    return sp.decode(torch.tensor(z).float())


def features(C: np.ndarray) -> np.ndarray:
    return sp.encode(decode(C)).reshape(len(C), -1).numpy()


def ranks(v: np.ndarray) -> np.ndarray:
    return np.argsort(np.argsort(v)) / (len(v) - 1)


def yeo_johnson(v: np.ndarray) -> np.ndarray:
    return PowerTransformer().fit_transform(v[:, None])[:, 0]


top = np.argsort(-y)[:10]
cands = {k: np.concatenate([moves(choice[i], k, 40) for i in top]) for k in (1, 2, 6)}
truth = {k: sgn * np.asarray(f(decode(C)), float) for k, C in cands.items()}
top20, last = y >= np.quantile(y, 0.8), slice(max(0, len(y) - 1000), None)
targets = {
    "ridge ranks (default)": (X, ranks(y)),
    "ridge values": (X, y),
    "ridge ranks, top 20%": (X[top20], ranks(y)[top20]),
    "ridge ranks, last 1000": (X[last], ranks(y)[last]),
    "ridge normal scores": (X, norm.ppf((np.argsort(np.argsort(y)) + 0.5) / len(y))),
    "ridge values clipped q10": (X, np.maximum(y, np.quantile(y, 0.1))),
    "ridge yeo-johnson": (X, yeo_johnson(y)),
    "ridge log-regret": (X, -np.log(y.max() - y + 1e-3)),
}
predict = {name: Ridge(alpha=3.0).fit(x, t).predict for name, (x, t) in targets.items()}
predict["random pick"] = lambda Z: rng.random(len(Z))
for name, p in predict.items():
    row = []
    for k, C in cands.items():
        s, t = p(features(C)), truth[k]
        regret = [t[j * 40:(j + 1) * 40][np.argmax(s[j * 40:(j + 1) * 40])] - t[j * 40:(j + 1) * 40].max()
                  for j in range(10)]
        row.append(f"k={k}: rho {spearmanr(s, t)[0]:.2f} pick-regret {100 * np.mean(regret):.3f}")
    print(f"{name:28s}", " | ".join(row))
print("best", y.max(), "n", len(y))
for name, tr in (("ranks", ranks), ("values", lambda v: v), ("yj", yeo_johnson)):
    sc, sct = [], []
    for a, b in KFold(5, shuffle=True, random_state=0).split(X):
        s = Ridge(alpha=3.0).fit(X[a], tr(y[a])).predict(X[b])
        t = y[b] >= np.quantile(y[b], 0.8)
        sc.append(spearmanr(s, y[b])[0])
        sct.append(spearmanr(s[t], y[b][t])[0])
    print(f"cv {name} rho {np.mean(sc):.3f} top20 {np.mean(sct):.3f}")
