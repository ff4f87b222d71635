"""Paired comparison of two labels of a tune.py JSONL file: medians and Wilcoxon p per cell.

python results/s11ofa/paired.py FILE.jsonl [LABEL_A] [LABEL_B]
"""

import json
import sys

import numpy as np
from scipy import stats

recs = [json.loads(x) for f in sys.argv[1].split(",") for x in open(f)]
labels = sorted({r["method"] for r in recs})
a = sys.argv[2] if len(sys.argv) > 2 else "ednag default"
b = sys.argv[3] if len(sys.argv) > 3 else next(m for m in labels if m != a)
print(f"A = {a}\nB = {b}")
for cell in ("acc", "acc@25ms"):
    for bud in ("1000", "10000"):
        va = {
            r["seed"]: r["at"][bud]["report"]
            for r in recs
            if r["method"] == a and r["problem"] == cell
        }
        vb = {
            r["seed"]: r["at"][bud]["report"]
            for r in recs
            if r["method"] == b and r["problem"] == cell
        }
        seeds = sorted(set(va) & set(vb))
        if not seeds:
            continue
        x, y = np.array([va[s] for s in seeds]), np.array([vb[s] for s in seeds])
        p = stats.wilcoxon(x, y).pvalue if np.any(x != y) else 1.0
        print(
            f"{cell:9s} @{bud:>5s} n={len(seeds):2d} seeds {seeds[0]}-{seeds[-1]}: "
            f"A {np.median(x):.4f}"
            f"  B {np.median(y):.4f}  B>A in {int((y > x).sum())}/{len(seeds)}  Wilcoxon p={p:.3g}"
        )
