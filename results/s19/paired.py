"""Paired comparison of two methods' runs (RULE19.md): medians, seeds higher, Wilcoxon.

python results/s19/paired.py FILES A B [CELL]   (FILES: comma list of .jsonl or .json.gz)
"""

import gzip
import json
import sys

import numpy as np
from scipy.stats import wilcoxon


def load(paths):
    out = {}
    for path in paths.split(","):
        op = gzip.open if path.endswith(".gz") else open
        with op(path, "rt") as f:
            text = f.read()
        rows = json.loads(text) if text.lstrip().startswith("[") else [
            json.loads(line) for line in text.splitlines() if line.strip()]
        if isinstance(rows, dict):
            rows = rows.get("runs", rows.get("rows", []))
        for r in rows:
            out[(r["problem"], r["method"], r["seed"])] = r
    return out


runs = load(sys.argv[1])
a, b = sys.argv[2], sys.argv[3]
cell = sys.argv[4] if len(sys.argv) > 4 else "acc@25ms"
seeds = sorted(s for (p, m, s) in runs if p == cell and m == a and (p, b, s) in runs)
for budget in ("1000", "10000"):
    va = np.array([runs[(cell, a, s)]["at"][budget]["report"] for s in seeds])
    vb = np.array([runs[(cell, b, s)]["at"][budget]["report"] for s in seeds])
    d = va - vb
    p = wilcoxon(va, vb).pvalue if np.any(d != 0) else 1.0
    print(f"{cell} @{budget} n={len(seeds)} ({seeds[0]}-{seeds[-1]}): {a} {np.median(va):.4f} "
          f"vs {b} {np.median(vb):.4f}; higher on {int((d > 0).sum())}, lower on "
          f"{int((d < 0).sum())}, equal {int((d == 0).sum())}; Wilcoxon p {p:.3g}")
