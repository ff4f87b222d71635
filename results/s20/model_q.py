"""How well do guide models rank candidates near the top of a default run's queries? (diagnosis)"""
import sys, numpy as np, torch, importlib
torch.set_num_threads(1)
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge
from ednag_opt import search
from ednag_opt.spaces import get_space
from ednag_opt.fitness import CachedFitness
from ednag_opt.fitness.predictors import OFAAccuracyPredictor
G = importlib.import_module("ednag_opt.search.guided")
seed = int(sys.argv[1]); B = int(sys.argv[2]); which = sys.argv[3] if len(sys.argv) > 3 else "ofa"
from ednag_opt.fitness import NB201Fitness, TransNASFitness
if which == "ofa":
    sp = get_space("mobilenetv3"); f = CachedFitness(OFAAccuracyPredictor())
elif which.startswith("nb201"):
    sp = get_space("nas-bench-201"); f = CachedFitness(NB201Fitness(which.split(":")[1], metric="val"))
else:
    part, task = which.split(":"); f = CachedFitness(TransNASFitness(task, space=part)); sp = get_space(f"transnas-{part}")
res = search("ednag", sp, f, max_queries=B, seed=seed)
archs = [a for a, _ in res.queries]; sgn = 1.0 if getattr(f, "maximize", True) else -1.0
y = sgn * np.array([v for _, v in res.queries])
X = sp.encode(archs).reshape(len(archs), -1).numpy()
rng = np.random.default_rng(0)
top = np.argsort(-y)[:10]
mask = sp.mask.numpy() if hasattr(sp.mask, "numpy") else np.asarray(sp.mask)
choice = sp.encode(archs).argmax(-1).numpy()
def neighbours(c, k, n):
    out = []
    for _ in range(n):
        c2 = c.copy()
        rows = rng.choice(len(c), k, replace=False)
        for r in rows:
            opts = [j for j in np.flatnonzero(mask[r]) if j != c[r]]
            c2[r] = rng.choice(opts)
        out.append(c2)
    return np.array(out)
def onehot(C):
    Z = np.zeros((len(C), mask.shape[0], mask.shape[1])); 
    Z[np.arange(len(C))[:, None], np.arange(mask.shape[0])[None], C] = 1
    return Z.reshape(len(C), -1)
cands = {k: np.concatenate([neighbours(choice[i], k, 40) for i in top]) for k in (1, 2, 6)}
truth = {k: sgn * np.asarray(f(sp.decode(torch.tensor(onehot(C)).reshape(len(C), *mask.shape).float())), float) for k, C in cands.items()}
rank = np.argsort(np.argsort(y)) / (len(y) - 1)
models = {
  "ridge ranks (default)": Ridge(alpha=3.0).fit(X, rank),
  "ridge values": Ridge(alpha=3.0).fit(X, y),
}
q = np.quantile(y, 0.8); sel = y >= q
models["ridge ranks, top 20%"] = Ridge(alpha=3.0).fit(X[sel], rank[sel])
last = slice(max(0, len(y) - 1000), None)
models["ridge ranks, last 1000"] = Ridge(alpha=3.0).fit(X[last], rank[last])
from scipy.stats import norm
ns = norm.ppf((np.argsort(np.argsort(y)) + 0.5) / len(y))
models["ridge normal scores"] = Ridge(alpha=3.0).fit(X, ns)
lo = np.quantile(y, 0.1)
models["ridge values clipped q10"] = Ridge(alpha=3.0).fit(X, np.maximum(y, lo))
from sklearn.preprocessing import PowerTransformer
yj = PowerTransformer().fit_transform(y[:, None])[:, 0]
models["ridge yeo-johnson"] = Ridge(alpha=3.0).fit(X, yj)
class Rnd:
    def predict(self, Z): return rng.random(len(Z))
models["random pick"] = Rnd()
class Real:
    def __init__(self): self.g = G.RidgeGuide(sp).fit(archs, y)
    def predict(self, Z): return self.g.predict(sp.decode(torch.tensor(Z).reshape(len(Z), *mask.shape).float()), validate=False)
models["RidgeGuide (the class)"] = Real()
models["ridge log-regret"] = Ridge(alpha=3.0).fit(X, -np.log(y.max() - y + 1e-3))
def feats(C):
    return sp.encode(sp.decode(torch.tensor(onehot(C)).reshape(len(C), *mask.shape).float())).reshape(len(C), -1).numpy()
for name, m in models.items():
    row = []
    for k, C in cands.items():
        p = m.predict(onehot(C) if isinstance(m, Real) else feats(C)); t = truth[k]
        # per-top-arch: does the model's pick among its 40 beat the median? regret of the pick
        pick = [t[j*40:(j+1)*40][np.argmax(p[j*40:(j+1)*40])] - t[j*40:(j+1)*40].max() for j in range(10)]
        row.append(f"k={k}: rho {spearmanr(p, t)[0]:.2f} pick-regret {100*np.mean(pick):.3f}")
    print(f"{name:28s}", " | ".join(row))
print("best", y.max(), "n", len(y))
from sklearn.model_selection import KFold
for name, tr in [("ranks", lambda v: np.argsort(np.argsort(v)) / (len(v) - 1)), ("values", lambda v: v), ("yj", lambda v: PowerTransformer().fit_transform(v[:, None])[:, 0])]:
    sc = []; sct = []
    for a, b in KFold(5, shuffle=True, random_state=0).split(X):
        m = Ridge(alpha=3.0).fit(X[a], tr(y[a])); p_ = m.predict(X[b])
        sc.append(spearmanr(p_, y[b])[0]); t = y[b] >= np.quantile(y[b], 0.8); sct.append(spearmanr(p_[t], y[b][t])[0])
    print("cv", name, "rho %.3f top20 %.3f" % (np.mean(sc), np.mean(sct)))
