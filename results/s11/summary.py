"""Session 11: the check table. Per (dim, instances) cell of f20-f24 at 10^4 d: mean solved
fraction of the preset (rows 'ours', large="ddim"), the new default (rows 'ours-gall', bit
for bit the 'ours-s11' rows) and pycma, and paired Wilcoxon tests (same function and
instance) of the new default against pycma and against the preset; then pooled.
python results/s11/summary.py [FIDS]"""
import json
import sys

import numpy as np
from scipy.stats import wilcoxon

fids = range(20, 25) if len(sys.argv) < 2 else [int(f) for f in sys.argv[1].split(",")]
R = {(r["method"], r["dim"], r["fid"], r["instance"]): np.mean([h is not None for h in r["hits"]])
     for r in map(json.loads, open("results/s11/bbob.jsonl")) if r["budget"] == 10000}
NEW, OLD, CMA = "ours-gall", "ours", "cma"


def test(keys, a, b):
    d = np.array([R[(b,) + k] - R[(a,) + k] for k in keys])
    nz = d[np.abs(d) > 1e-9]
    p = wilcoxon(nz).pvalue if len(nz) else 1.0
    return f"{d.mean():+.3f}: {int((d > 1e-9).sum())} / {int((d < -1e-9).sum())} (p = {p:.2g})"


cells = [(5, range(1, 6), "tuning"), (5, range(6, 26), "held-out"), (5, range(1, 26), "all"),
         (2, range(1, 6), "tuning dims"), (2, range(6, 11), "held-out"),
         (10, range(1, 6), ""), (10, range(6, 11), "held-out"), (20, range(1, 6), "")]
pool = []
for dim, insts, note in cells:
    keys = [(dim, f, i) for f in fids for i in insts
            if all((m, dim, f, i) in R for m in (NEW, OLD, CMA))]
    if not keys:
        continue
    if not (dim == 5 and note == "all"):
        pool += [(k, dim == 5 and k[2] <= 5) for k in keys]
    mean = {m: np.mean([R[(m,) + k] for k in keys]) for m in (OLD, NEW, CMA)}
    print(f"| d = {dim}, instances {insts[0]}-{insts[-1]} {note} ({len(keys)} runs) | "
          f"{mean[OLD]:.3f} | {mean[NEW]:.3f} | {mean[CMA]:.3f} | {test(keys, CMA, NEW)} | "
          f"{test(keys, OLD, NEW)} | {test(keys, CMA, OLD)} |")
for excl in (False, True):
    keys = [k for k, tune in pool if not (excl and tune) and k[0] <= 10]
    print(f"| pooled d = 2, 5, 10{' without the tuning cell' if excl else ''} ({len(keys)}) | "
          f"{np.mean([R[(OLD,) + k] for k in keys]):.3f} | {np.mean([R[(NEW,) + k] for k in keys]):.3f}"
          f" | {np.mean([R[(CMA,) + k] for k in keys]):.3f} | {test(keys, CMA, NEW)} | "
          f"{test(keys, OLD, NEW)} | {test(keys, CMA, OLD)} |")
