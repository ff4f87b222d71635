"""Medians per cell and method of the given raw files (HV at 100/300/1000, front cells @1000),
and paired HV@1000 differences against the method named by --base.
python results/s16/summ.py FILE... [--base NAME]"""
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import wilcoxon

args = sys.argv[1:]
base = None
if "--base" in args:
    i = args.index("--base"); base = args[i + 1]; del args[i:i + 2]
by = defaultdict(lambda: defaultdict(dict))
for f in args:
    for r in json.load(open(f))["rows"]:
        by[(r["dataset"], r["device"])][r["method"]][r["seed"]] = r
for key, m in sorted(by.items()):
    print(key)
    for name, rs in sorted(m.items()):
        s = sorted(rs)
        med = [np.median([rs[x][f"hv@{b}"] for x in s]) for b in (100, 300, 1000)]
        rec = np.median([rs[x]["recovered@1000"] for x in s])
        line = f"  {name:28s} n={len(s):2d} hv " + " ".join(f"{v:.5f}" for v in med) + f" front {rec:.3f}"
        if base and base in m and name != base:
            common = sorted(set(s) & set(m[base]))
            d = np.array([rs[x]["hv@1000"] - m[base][x]["hv@1000"] for x in common])
            p = wilcoxon(d).pvalue if np.any(d) else 1.0
            line += f"  d@1000 vs {base}: med {np.median(d)*1e5:+.1f}e-5 +{(d>0).sum()}/-{(d<0).sum()} p={p:.2f}"
        print(line)
