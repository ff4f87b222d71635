"""Scratch table (s25): mean over runs per variant; per cell METRIC.
Usage: python results/s25/table.py FILES [METRIC]"""
import json
import sys
from collections import defaultdict

import numpy as np

rows = [json.loads(l) for f in sys.argv[1].split(",") for l in open(f)]
metric = sys.argv[2] if len(sys.argv) > 2 else "recovered@1000"
var = list(dict.fromkeys(r["variant"] for r in rows))
keys = ["hv@100", "hv@300", "hv@1000", "recovered@300", "recovered@1000", "recovered_tied@1000"]
print("variant", *keys, "n", "time", sep=" | ")
for v in var:
    rs = [r for r in rows if r["variant"] == v]
    print(v, *[f"{np.mean([r[k] for r in rs]):.4f}" for k in keys], len(rs),
          f"{np.mean([r['time'] for r in rs]):.1f}", sep=" | ")
cells = defaultdict(dict)
for r in rows:
    cells[(r["dataset"], r["device"])].setdefault(r["variant"], []).append(r[metric])
print("\ncell", *var, sep=" | ")
for c, d in cells.items():
    print(*c, *[f"{np.mean(d[v]):.3f}" if v in d else "-" for v in var], sep=" | ")
