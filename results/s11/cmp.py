"""Session 11: mean solved fraction at 10^4 d per function and method, paired rows only.
python results/s11/cmp.py DIM INSTANCES FIDS METHOD [METHOD ...] (first method = reference
for the paired Wilcoxon test)"""
import json
import sys

import numpy as np
from scipy.stats import wilcoxon

sys.path.insert(0, "benchmarks")
from bench_bbob import parse_ints  # noqa: E402

d, insts, fids, ms = int(sys.argv[1]), parse_ints(sys.argv[2]), parse_ints(sys.argv[3]), \
    sys.argv[4:]
R = {(r["method"], r["fid"], r["instance"]): np.mean([h is not None for h in r["hits"]])
     for r in map(json.loads, open("results/s11/bbob.jsonl"))
     if r["dim"] == d and r["budget"] == 10000}
keys = [(f, i) for f in fids for i in insts if all((m, f, i) in R for m in ms)]
print(f"d = {d}, {len(keys)} (function, instance) pairs with every method")
for m in ms:
    per = " | ".join(f"f{f} {np.mean([R[(m, g, i)] for g, i in keys if g == f]):.3f}"
                     for f in fids if any(g == f for g, _ in keys))
    diff = np.array([R[(m, f, i)] - R[(ms[0], f, i)] for f, i in keys])
    nz = diff[np.abs(diff) > 1e-9]
    p = wilcoxon(nz).pvalue if len(nz) else 1.0
    print(f"{m:12s} all {np.mean([R[(m, f, i)] for f, i in keys]):.3f} | {per} | "
          f"vs {ms[0]} {diff.mean():+.3f} ({int((diff > 1e-9).sum())}/{int((diff < -1e-9).sum())}, p={p:.2g})")
