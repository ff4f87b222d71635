"""Session 10: paired comparison (same function and instance) of two ours rows at 10^4·d.
python results/s10/paired.py DIM INSTANCES FIDS METHOD_A METHOD_B"""
import json
import sys

import numpy as np
from scipy.stats import wilcoxon

sys.path.insert(0, "benchmarks")
from bench_bbob import parse_ints  # noqa: E402

d, insts, fids, a, b = int(sys.argv[1]), parse_ints(sys.argv[2]), parse_ints(sys.argv[3]), \
    sys.argv[4], sys.argv[5]
R = {(r["method"], r["fid"], r["instance"]): np.mean([h is not None for h in r["hits"]])
     for r in map(json.loads, open("results/s10/bbob.jsonl")) if r["dim"] == d
     and r["budget"] == 10000}
diff = np.array([R[(b, f, i)] - R[(a, f, i)] for f in fids for i in insts])
for f in fids:
    x = np.array([R[(b, f, i)] - R[(a, f, i)] for i in insts])
    print(f"f{f}: {b} - {a} mean {x.mean():+.3f}, better {int((x > 1e-9).sum())}, "
          f"worse {int((x < -1e-9).sum())} of {len(x)}")
nz = diff[np.abs(diff) > 1e-9]
p = wilcoxon(nz).pvalue if len(nz) else 1.0
print(f"all: mean {diff.mean():+.3f}, better {int((diff > 1e-9).sum())}, worse "
      f"{int((diff < -1e-9).sum())} of {len(diff)}; Wilcoxon signed-rank p = {p:.2g}")
