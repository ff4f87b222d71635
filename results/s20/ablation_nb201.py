"""Session 20: the diffusion-off ablation on NAS-Bench-201 over seeds 0-39 (session 17's raw runs).

gunzip -k results/s17/*/*.gz && python results/s20/ablation_nb201.py
Queries to the validation optimum (misses as 2,000): paired Wilcoxon on log queries; the
single-seed cells: paired Wilcoxon on the test accuracy of the returned cell, 3 datasets x 40 seeds.
"""
import json

import numpy as np
from scipy.stats import wilcoxon

A, D = "ednag repair-only (no diffusion)", "ednag default"


def load(bench):
    return json.load(open(f"results/s17/search/{bench}.json")) + json.load(open(f"results/s17/heldout/{bench}.json"))


rows = load("nb201")
for prob in ("cifar10", "cifar100", "ImageNet16-120"):
    q = {m: {r["seed"]: r["q_opt"] or 2000 for r in rows if r["method"] == m and r["problem"] == prob} for m in (A, D)}
    s = sorted(set(q[A]) & set(q[D]))
    x, y = (np.array([q[m][i] for i in s], float) for m in (A, D))
    print(f"nb201 {prob} ({len(s)} seeds): median queries ablation {np.median(x):g}, default {np.median(y):g}; "
          f"mean log ratio {np.mean(np.log(x / y)):+.3f}, Wilcoxon p {wilcoxon(np.log(x), np.log(y)).pvalue:.3g}")
rows = load("nb201-noisy")
for b in ("50", "100", "300"):
    diffs = []
    for prob in ("cifar10", "cifar100", "ImageNet16-120"):
        v = {m: {r["seed"]: r["at"][b]["report"] for r in rows if r["method"] == m and r["problem"] == prob} for m in (A, D)}
        diffs += [v[A][i] - v[D][i] for i in sorted(set(v[A]) & set(v[D]))]
    d = np.array(diffs)
    print(f"nb201-noisy @{b} ({len(d)} runs): mean test accuracy ablation - default {d.mean():+.3f}, Wilcoxon p {wilcoxon(d).pvalue:.3g}")
