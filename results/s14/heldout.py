"""Seeds kept aside (20-39): the twin phase against the default on the 15 rule cells.

python results/s14/heldout.py results/mo14/heldout_a.json results/mo14/heldout_b.json
"""
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import mannwhitneyu

TW = "ednag twins 0.1"
rows = [r for p in sys.argv[1:] for r in json.load(open(p))["rows"]]
by = defaultdict(lambda: defaultdict(list))
for r in rows:
    by[(r["dataset"], r["device"])][r["method"]].append(r)
rec = {"ednag": [], TW: []}
lower = better = worse = sig_better = sig_worse = 0
for m in by.values():
    def med(meth, k, m=m):
        return float(np.median([r[k] for r in m[meth]]))
    for k in rec:
        rec[k].append(med(k, "recovered@1000"))
    lower += med(TW, "hv@1000") < med("ednag", "hv@1000")
    a = [r["recovered@1000"] for r in m[TW]]
    b = [r["recovered@1000"] for r in m["ednag"]]
    p = mannwhitneyu(a, b).pvalue
    d = np.median(a) - np.median(b)
    better, worse = better + (d > 0), worse + (d < 0)
    sig_better, sig_worse = sig_better + (p < 0.05 and d > 0), sig_worse + (p < 0.05 and d < 0)
print(f"{len(by)} cells; front cells @1000: twins {np.mean(rec[TW]):.3f}, default "
      f"{np.mean(rec['ednag']):.3f}; median higher in {better}, lower in {worse} "
      f"(p < 0.05: {sig_better} / {sig_worse}); HV@1000 lower than the default's in {lower}")
