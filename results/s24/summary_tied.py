"""Session-24 summary: the front's cells counted strictly and with accuracies equal to
1e-6 as ties (``recovered_tied``), per method; per cell the tied medians.

Usage: python results/s24/summary_tied.py FILE[,FILE] [A]
"""
import collections
import json
import sys

import numpy as np
from scipy.stats import mannwhitneyu

files = sys.argv[1].split(",")
A = sys.argv[2] if len(sys.argv) > 2 else "ednag, cheap cost + twins=auto"
rows = [r for f in files for r in json.load(open(f))["rows"]]
by = collections.defaultdict(list)
for r in rows:
    by[(r["method"], (r["dataset"], r["device"]))].append(r)
methods = list(dict.fromkeys(r["method"] for r in rows))
cells = sorted({c for _, c in by})


def med(m, c, k):
    return float(np.median([r[k] for r in by[(m, c)]]))


print(f"{len(cells)} cells, seeds {min(r['seed'] for r in rows)}-{max(r['seed'] for r in rows)}")
print("| method | front cells @300 | @1000 | cells >= 90% "
      "| tied front @300 | @1000 | cells >= 90% |")
print("|---|---|---|---|---|---|---|")
for m in methods:
    out = []
    for k in ("recovered", "recovered_tied"):
        v3 = np.mean([med(m, c, f"{k}@300") for c in cells])
        v10 = np.mean([med(m, c, f"{k}@1000") for c in cells])
        n90 = sum(med(m, c, f"{k}@1000") >= 0.9 for c in cells)
        out += [f"{100 * v3:.1f}%", f"{100 * v10:.1f}%", f"{n90} of {len(cells)}"]
    print(f"| {m} | " + " | ".join(out) + " |")
print(f"\ntied front cells @1000 per cell (median; p: Mann-Whitney against {A!r})")
print("| cell | " + " | ".join(methods) + " |")
print("|---" * (len(methods) + 1) + "|")
for c in cells:
    out = []
    for m in methods:
        x = [r["recovered_tied@1000"] for r in by[(m, c)]]
        s = f"{np.median(x):.3f}"
        if m != A:
            y = [r["recovered_tied@1000"] for r in by[(A, c)]]
            s += f" (p {mannwhitneyu(x, y).pvalue:.2g})"
        out.append(s)
    print(f"| {c[0]} x {c[1]} | " + " | ".join(out) + " |")
