"""Scratch (s26): the tuning table: mean front cells @1000 and HV @1000 over runs per
variant, and paired Wilcoxon tests between variants.
Usage: python results/s26/tune_stats.py FILES BASE OTHER[,OTHER...]"""
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import wilcoxon

rows = [json.loads(line) for f in sys.argv[1].split(",") for line in open(f)]
runs = defaultdict(dict)
for r in rows:
    runs[(r["dataset"], r["device"], r["seed"])][r["variant"]] = r
var = list(dict.fromkeys(r["variant"] for r in rows))
full = {k: v for k, v in runs.items() if all(x in v for x in var)}
print(f"{len(full)} runs with every variant ({len({k[:2] for k in full})} cells)")
for v in var:
    rec = [full[k][v]["recovered@1000"] for k in full]
    hv = [full[k][v]["hv@1000"] for k in full]
    t = [full[k][v]["time"] for k in full]
    print(f"{v:14s} front cells {100 * np.mean(rec):.1f}%  HV {np.mean(hv):.5f}  time {np.mean(t):.1f} s")
base = sys.argv[2]
for o in sys.argv[3].split(","):
    a = np.array([full[k][base]["recovered@1000"] for k in full])
    b = np.array([full[k][o]["recovered@1000"] for k in full])
    p = wilcoxon(b, a).pvalue if (a != b).any() else 1.0
    print(f"{o} vs {base}: better {np.sum(b > a)} worse {np.sum(b < a)} Wilcoxon p {p:.2g}")
