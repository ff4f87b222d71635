"""Pooled comparison of twin-phase variants on tuning seeds (issue 16, session 16): per
variant, mean over cells of the median front share @1000, mean of the median paired HV@1000
differences against BASE, cells with a negative median difference, and cells with median
HV@1000 >= NSGA-II's. python results/s16/pool.py BASE FILE..."""
import json
import sys
from collections import defaultdict

import numpy as np

base, files = sys.argv[1], sys.argv[2:]
by = defaultdict(lambda: defaultdict(dict))
for f in files:
    for r in json.load(open(f))["rows"]:
        by[r["method"]][(r["dataset"], r["device"])][r["seed"]] = r
cells = sorted(set.intersection(*(set(v) for v in by.values())))
print(len(cells), "cells in every row")
for name, m in sorted(by.items()):
    rec, meds, neg, ge = [], [], 0, 0
    for c in cells:
        s = sorted(set(m[c]) & set(by[base][c]))
        rec.append(np.median([m[c][x]["recovered@1000"] for x in s]))
        d = np.median([m[c][x]["hv@1000"] - by[base][c][x]["hv@1000"] for x in s])
        meds.append(d); neg += d < 0
        if "nsga2" in by:
            ge += np.median([m[c][x]["hv@1000"] for x in s]) >= np.median(
                [by["nsga2"][c][x]["hv@1000"] for x in by["nsga2"][c]])
    print(f"  {name:28s} front {np.mean(rec):.3f}  mean med dHV vs {base} {np.mean(meds)*1e5:+.1f}e-5 "
          f"(neg in {neg})  HV>=NSGA-II {ge}")
