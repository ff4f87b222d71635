"""Scratch (s29): paired comparison of variants against a base on the same (cell, seed).
Usage: python results/s29/paired.py FILES BASE [METRIC]"""
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import wilcoxon

rows = [json.loads(line) for f in sys.argv[1].split(",") for line in open(f)]
base, metric = sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "recovered_tied@1000"
by = defaultdict(dict)
for r in rows:
    by[(r["dataset"], r["device"], r["seed"])][r["variant"]] = r
for v in dict.fromkeys(r["variant"] for r in rows):
    if v == base:
        continue
    pairs = [(d[base][metric], d[v][metric], k) for k, d in by.items() if base in d and v in d]
    if not pairs:
        continue
    b, x = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
    diff = x - b
    p = wilcoxon(x, b).pvalue if np.any(diff) else 1.0
    hv = np.mean([by[k][v]["hv@1000"] - by[k][base]["hv@1000"] for *_, k in pairs])
    print(f"{v} vs {base} ({metric}, {len(pairs)} pairs): {x.mean():.4f} vs {b.mean():.4f}, "
          f"better {int((diff > 1e-12).sum())} / worse {int((diff < -1e-12).sum())}, p {p:.2g}; "
          f"mean HV@1000 diff {hv:+.2e}")
    cells = defaultdict(list)
    for bb, xx, k in pairs:
        cells[k[:2]].append((bb, xx))
    for c, l in cells.items():
        a = np.array(l)
        print(f"   {c[0]:>15} {c[1]:>16}: {a[:, 1].mean():.3f} vs {a[:, 0].mean():.3f} (n {len(a)})")
