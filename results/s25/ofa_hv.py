"""Scratch (s25): HV ratios of ofa_try rows against their pooled front; per variant median."""
import json
import sys
from collections import defaultdict

import numpy as np
from pymoo.indicators.hv import HV

from ednag_opt.strategy.pareto import pareto_mask

rows = [json.loads(l) for f in sys.argv[1].split(",") for l in open(f)]
for b in sorted({k for r in rows for k in r["fronts"]}, key=int):
    pooled = {k: v for r in rows for k, v in r["fronts"][b]}
    V = np.array(list(pooled.values()))
    lo, hi = V.min(0), V.max(0)
    def norm(P):
        return np.column_stack([(hi[0] - P[:, 0]) / (hi[0] - lo[0]), (P[:, 1] - lo[1]) / (hi[1] - lo[1])])
    hv = HV(ref_point=np.array([1.1, 1.1]))
    ref = hv(norm(V[pareto_mask(V * [1.0, -1.0])]))
    out = defaultdict(dict)
    for r in rows:
        P = np.array([v for _, v in r["fronts"][b]])
        out[r["variant"]][r["seed"]] = hv(norm(P)) / ref
    for v, d in out.items():
        print(b, v, len(d), round(float(np.median(list(d.values()))), 4), {s: round(x, 4) for s, x in sorted(d.items())})
