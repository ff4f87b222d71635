"""Paired comparison by seed of a screen's rows against a base row (one cell, one budget).

python results/s20/paired.py BUDGET CELL BASE_FILE:BASE_LABEL FILE[,FILE] [LABEL,...]
"""
import json
import sys
from collections import Counter, defaultdict

import numpy as np
from scipy.stats import wilcoxon

b, cell = sys.argv[1], sys.argv[2]
bf, _, bl = sys.argv[3].partition(":")
rows = defaultdict(dict)
share = defaultdict(Counter)
for f in [bf, *sys.argv[4].split(",")]:
    for r in map(json.loads, open(f)):
        if r["problem"] == cell and b in r["at"]:
            rows[r["method"]][r["seed"]] = r["at"][b]["report"]
            share[r["method"]].update(r["origins"])
base = rows[bl]
wanted = sys.argv[5].split(",") if len(sys.argv) > 5 else [m for m in rows if m != bl]
for m in wanted:
    s = sorted(set(rows[m]) & set(base))
    a, c = np.array([rows[m][i] for i in s]), np.array([base[i] for i in s])
    p = wilcoxon(a, c).pvalue if (a != c).any() else float("nan")
    tot = sum(share[m].values())
    dif = share[m]["diffusion"] + share[m]["renoise"]
    print(f"{cell} @{b} {m}: seeds {s[0]}-{s[-1]} ({len(s)}), median {np.median(a):.3f} vs {bl} "
          f"{np.median(c):.3f}, higher {(a > c).sum()} / lower {(a < c).sum()}, Wilcoxon p {p:.3g}; "
          f"diffusion share {100 * dif / tot:.0f}%")
