"""Paired comparison of tune_small labels on TransNAS (issue 18, session 16): mean normalised
regret per budget over (task, seed), the label's mean difference to the first label, a
Wilcoxon p, and per-task medians won / lost against the first label.
python results/s16/t18_cmp.py LABEL1,LABEL2,... [SEEDS]"""
import json
import sys

import numpy as np
from scipy.stats import wilcoxon

labels = sys.argv[1].split(",")
seeds = None
if len(sys.argv) > 2:
    a, b = (int(x) for x in sys.argv[2].split("-")); seeds = set(range(a, b + 1))
runs = {}
for lab in labels:
    runs[lab] = {(r["problem"], r["seed"]): r for r in map(json.loads, open(f"results/t18/transnas-{lab}.jsonl"))}
keys = set.intersection(*(set(v) for v in runs.values()))
if seeds:
    keys = {k for k in keys if k[1] in seeds}
keys = sorted(keys)
probs = sorted({k[0] for k in keys})
print(f"{len(keys)} runs, {len(probs)} tasks, seeds {sorted({k[1] for k in keys})[0]}..")
for b in ("50", "100", "300"):
    base = np.array([runs[labels[0]][k]["at"][b]["report"] for k in keys])
    line = f"@{b}: {labels[0]} {base.mean():.4f}"
    for lab in labels[1:]:
        v = np.array([runs[lab][k]["at"][b]["report"] for k in keys])
        d = v - base
        p = wilcoxon(d).pvalue if np.any(d) else 1.0
        med = lambda L, p: np.median([runs[L][k]["at"][b]["report"] for k in keys if k[0] == p])
        better = sum(med(lab, p) < med(labels[0], p) for p in probs)
        worse = sum(med(lab, p) > med(labels[0], p) for p in probs)
        line += f" | {lab} {v.mean():.4f} (d {d.mean():+.4f}, p {p:.3f}, tasks +{better}/-{worse})"
    print(line)
