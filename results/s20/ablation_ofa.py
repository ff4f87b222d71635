"""Session 20: the MobileNetV3 diffusion-off ablation over seeds 0-59 (unpaired: Mann-Whitney).

python results/s20/ablation_ofa.py
Default and REA: the stored runs (results/s19/pool/ofa.json); ablation: seeds 0-19 from
results/s19/search/ofa.json, 20-59 this session (results/s20/abl_*.jsonl).
"""
import json

import numpy as np
from scipy.stats import mannwhitneyu

A, D = "ednag repair-only (no diffusion)", "ednag default"
pool = json.load(open("results/s19/pool/ofa.json"))
abl = [r for r in json.load(open("results/s19/search/ofa.json")) if r["method"] == A and r["seed"] < 20]
abl += [json.loads(line) for f in ("results/s20/abl_a.jsonl", "results/s20/abl_b.jsonl") for line in open(f)]


def vals(rows, m, cell, b):
    return np.array([r["at"][b]["report"] for r in rows if r["method"] == m and r["problem"] == cell and r["seed"] < 60])


def ci(v, rng):
    return np.percentile(np.median(rng.choice(v, (4000, len(v))), axis=1), [2.5, 97.5])


print("| cell | calls | default median [95% CI] | diffusion off [95% CI] | Mann-Whitney p | REA |")
print("|---|---|---|---|---|---|")
rng = np.random.default_rng(0)
for cell in ("acc", "acc@25ms"):
    for b in ("1000", "10000"):
        d, a, r = vals(pool, D, cell, b), vals(abl, A, cell, b), vals(pool, "REA", cell, b)
        cd, ca = ci(d, rng), ci(a, rng)
        print(f"| {cell} | {b} | {np.median(d):.2f} [{cd[0]:.2f}, {cd[1]:.2f}] ({len(d)}) | {np.median(a):.2f} "
              f"[{ca[0]:.2f}, {ca[1]:.2f}] ({len(a)}) | {mannwhitneyu(d, a).pvalue:.2g} | {np.median(r):.2f} |")
share = {}
for rws, m in ((pool, D), (abl, A)):
    for cell in ("acc", "acc@25ms"):
        o = [r["origins"] for r in rws if r["method"] == m and r["problem"] == cell and r["seed"] < 60]
        tot = sum(sum(x.values()) for x in o)
        dif = sum(x.get("diffusion", 0) + x.get("renoise", 0) for x in o)
        print(f"diffusion share, {m}, {cell}: {100 * dif / tot:.0f}%")
