"""Scratch (session 21): search by a linear stack of the related tasks' true tables.

Query the best cell by the mean of the others' z-scores; then each round fit ridge
regression of the held-out values (z-scored over queries) on the others' z-scores at the
queried cells and query the top ``k`` unqueried cells. Queries to the optimum per seed
(the seed shuffles ties and adds a jitter to the first round's order).
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd

DATA = os.environ.get("EDNAG_DATA_DIR", "../shared/data")


def run(others, y, alpha, k=3, budget=100, nonneg=False, seed=0):
    rng = np.random.default_rng(seed)
    n = len(y)
    opt = np.max(y)
    jitter = rng.standard_normal(n) * 1e-6
    asked = np.zeros(n, bool)
    score = others.mean(1) + jitter
    q = []
    while len(q) < budget:
        cand = np.where(~asked)[0]
        top = cand[np.argsort(-score[cand])[:k]]
        for i in top:
            q.append(i)
            asked[i] = True
            if y[i] >= opt:
                return len(q)
        X = others[q]
        t = y[q]
        t = (t - t.mean()) / (t.std() + 1e-12)
        Xc = X - X.mean(0)
        w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ t)
        if nonneg:
            w = np.clip(w, 0, None)
        score = others @ w + 1e-3 * others.mean(1) + jitter
    return None


def main() -> None:
    alphas = [float(a) for a in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1.0]
    tnb = os.path.join(DATA, "transnas-bench-101")
    for part in ("micro", "macro"):
        df = pd.read_csv(os.path.join(tnb, f"tnb101_{part}_val_final.csv"))
        cols = [c for c in df.columns if c not in ("naslib_op_indices", "arch_str")]
        x = df[cols].to_numpy(float)
        z = (x - x.mean(0)) / x.std(0)
        for j, c in enumerate(cols):
            others = np.delete(z, j, axis=1)
            out = []
            for a in alphas:
                for nn in (False, True):
                    qs = [run(others, z[:, j], a, nonneg=nn, seed=s) for s in range(3)]
                    out.append(f"a={a:g}{'+' if nn else ''}:{','.join(str(v) if v else '-' for v in qs)}")
            print(f"{part:5s} {c.split('_valid')[0]:16s}", "  ".join(out))


if __name__ == "__main__":
    main()
