"""Paired MobileNetV3 comparison (session 17): renoised draws in 10,000-call runs against the
default's and REA's session-11 runs on the same tuning seeds (same configuration, same runs).
python results/s17/ofa_cmp.py [results/s17/ofa_tune.jsonl] [LABEL]"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

path = Path(sys.argv[1] if len(sys.argv) > 1 else "results/s17/ofa_tune.jsonl")
label = sys.argv[2] if len(sys.argv) > 2 else "ednag renoise=32"
old = [json.loads(line) for f in sorted(Path("results/s11ofa").glob("tune_1*.jsonl"))
       for line in open(f)]
new = [json.loads(line) for line in open(path)]
ref = {(r["method"], r["seed"]): r for r in old + new if r["problem"] == "acc"}
seeds = sorted(s for m, s in ref if m == label)
for b in ("1000", "10000"):
    v = {m: np.array([ref[(m, s)]["at"][b]["report"] for s in seeds if (m, s) in ref])
         for m in (label, "ednag default", "REA")}
    line = f"@{b} ({len(seeds)} seeds) " + " | ".join(f"{m} {np.median(x):.3f}" for m, x in v.items())
    for m in ("ednag default", "REA"):
        if len(v[m]) == len(v[label]):
            d = v[label] - v[m]
            line += f" | vs {m}: mean {d.mean():+.3f}, above {int((d > 0).sum())}/{len(d)}, p {wilcoxon(d).pvalue:.3g}"
    print(line)
