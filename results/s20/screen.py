"""Session 20 screen: the guide's regression target (ranks, values, CV choice), by monkeypatch.

python results/s20/screen.py OUT.jsonl BENCH SEEDS LABEL[,LABEL] [CELLS]
LABEL: "ednag default" (ranks, as shipped) | "ednag guide values" | "ednag guide auto"
     | "ednag repair-only (no diffusion)" | "repair-only guide values" | any bench_searchers label.
Each run is bench_searchers.run_one (the tables' protocol), one JSON line per run.
"""

import importlib
import sys

import numpy as np
from _loop import B, run
from scipy.stats import spearmanr
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold

G = importlib.import_module("ednag_opt.search.guided")
MODE = {"v": "rank"}


def _target(y, mode):
    n = len(y)
    if mode == "value":
        return y
    return np.argsort(np.argsort(y, kind="stable"), kind="stable") / max(n - 1, 1)


def _cv_choice(x, y):
    best, pick = -2.0, "rank"
    for mode in ("rank", "value"):
        sc = []
        for a, b in KFold(5, shuffle=True, random_state=0).split(x):
            m = Ridge(alpha=3.0).fit(x[a], _target(y[a], mode))
            sc.append(spearmanr(m.predict(x[b]), y[b])[0])
        if np.mean(sc) > best:
            best, pick = float(np.mean(sc)), mode
    return pick


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
    x = np.concatenate(self._x)
    mode = MODE["v"]
    if mode == "auto":
        nxt = getattr(self, "_next_cv", 32)
        if n >= nxt:
            self._mode = _cv_choice(x, y)
            while nxt <= n:
                nxt *= 2
            self._next_cv = nxt
        mode = getattr(self, "_mode", "rank")
    self.model = Ridge(alpha=self.alpha).fit(x, _target(y, mode))
    return self


G.RidgeGuide.observe = observe
B.METHODS.setdefault("ednag guide values", ("ednag", {}))
B.METHODS.setdefault("ednag guide auto", ("ednag", {}))
B.METHODS.setdefault("repair-only guide values", ("ednag", {"preset": "repair-only"}))
MODES = {"ednag guide values": "value", "ednag guide auto": "auto", "repair-only guide values": "value"}
run(sys.argv[1:], sys.argv[4].split(","), lambda m: MODE.update(v=MODES.get(m, "rank")))
