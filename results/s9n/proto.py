"""Prototype: smoothed recommendation rules on stored nb201-noisy runs (with "q")."""
import json, sys
from collections import defaultdict
import numpy as np
from scipy import stats
from ednag_opt.fitness import NB201Fitness
from ednag_opt.spaces import get_space

SP = get_space("nas-bench-201"); ARCHS = SP.enumerate()
X_ALL = SP.encode(ARCHS).reshape(len(ARCHS), -1).numpy()
R = 6
TEST = {ds: NB201Fitness(ds, metric="test").test_accuracy(ARCHS).numpy() for ds in ("cifar10","cifar100","ImageNet16-120")}
VALM = {ds: np.nanmean(NB201Fitness(ds, metric="val", noisy=True).table.per_seed["val"], 1) for ds in TEST}
LAMS = np.logspace(-4, 2, 31)
import os
SEL = os.environ.get("SEL", "ml")
KINDS = os.environ.get("KINDS", "lin,ham,mix").split(",")

def fit(K, y):
    ev, U = np.linalg.eigh(K); ev = np.clip(ev, 0, None)
    z = U.T @ y; o = U.T @ np.ones_like(y)
    best = None
    for lam in LAMS:
        d = ev + lam
        mu = np.sum(o*z/d) / np.sum(o*o/d)
        r = z - mu*o
        q = np.sum(r*r/d); n = len(y)
        nll = n*np.log(q/n) + np.sum(np.log(d))
        if SEL == "loo":
            Ci = (U / d) @ U.T
            a = U @ (r / d)
            nll = np.mean((a / np.diag(Ci))**2)
        if best is None or nll < best[0]:
            best = (nll, lam, mu, r, d)
    nll, lam, mu, r, d = best
    m = mu + U @ (ev/d * r)
    return m, nll, lam

def kernels(X, kind):
    S = X @ X.T  # matching rows
    H = R - S
    if kind == "lin":
        yield "lin", S / R
    if kind in ("ham", "mix"):
        for th in (0.5, 1, 2, 4, 8):
            Kh = np.exp(-th * H / R)
            if kind == "ham":
                yield f"ham{th}", Kh
            else:
                for w in (0.0, 0.25, 0.5, 0.75, 1.0):
                    yield f"mix{th},{w}", w*S/R + (1-w)*Kh

TOP = float(__import__("os").environ.get("TOP", "1"))
def rule(idx, y, kind):
    keep = np.argsort(-y, kind="stable")[:max(5, int(np.ceil(TOP*len(y))))]
    m, nll, lam, name = _rule(idx[keep], y[keep], kind)
    full = np.full(len(y), -np.inf); full[keep] = m
    return full, nll, lam, name
def _rule(idx, y, kind):
    X = X_ALL[idx]
    best = None
    for name, K in kernels(X, kind):
        m, nll, lam = fit(K, y)
        if best is None or nll < best[1]:
            best = (m, nll, lam, name)
    return best

def main(files, kinds=("lin","ham","mix")):
    out = defaultdict(list)
    for f in files:
        for line in open(f):
            rec = json.loads(line)
            ds = rec["problem"]; q = np.array(rec["q"])
            for b in ("50","100","300"):
                n = int(b); idx = q[:n,0].astype(int); y = q[:n,1]
                t = TEST[ds][idx]; vm = VALM[ds][idx]
                bo = t[np.argmax(y)]
                row = {"bo": bo, "oracle": t.max(), "valmean": t[np.argmax(vm)]}
                for k in kinds:
                    m, nll, lam, name = rule(idx, y, k)
                    row[k] = t[np.argmax(m)]
                    row[k+"_lam"] = lam
                for key, v in row.items():
                    out[(ds, b, key)].append(v)
    return out

if __name__ == "__main__":
    out = main(sys.argv[1:], KINDS)
    for ds in TEST:
        for b in ("50","100","300"):
            bo = np.array(out[(ds,b,"bo")])
            s = f"{ds[:8]:8s} @{b:>3s} n={len(bo)} bo {bo.mean():.3f}"
            for k in ["valmean"] + KINDS:
                v = np.array(out[(ds,b,k)]); d = v-bo
                p = stats.wilcoxon(d).pvalue if np.any(d) else 1
                s += f" | {k} {v.mean():.3f} ({d.mean():+.3f} p{p:.2g})"
            s += f" | lam med {np.median(out[(ds,b,KINDS[-1]+'_lam')]):.2g}"
            print(s)
