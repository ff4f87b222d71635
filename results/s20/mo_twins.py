"""Session 20 screen (#16): a longer twin phase. Per variant: mean over cells of the median
front cells recovered @1000, and cells where its median HV is >= NSGA-II's at 100 / 300 / 1000.

python results/s20/mo_twins.py results/s20/mo_twins_a.json,results/s20/mo_twins_b.json
"""
import json
import sys
from collections import defaultdict

import numpy as np

rows = [r for f in sys.argv[1].split(",") for r in json.load(open(f))["rows"]]
by = defaultdict(lambda: defaultdict(list))
for r in rows:
    by[r["method"]][(r["dataset"], r["device"])].append(r)
cells = sorted(by["nsga2"])
print(f"{len(cells)} cells, seeds {sorted({r['seed'] for r in rows})}")
for m in by:
    rec = [np.median([r["recovered@1000"] for r in by[m][c]]) for c in cells]
    net = [np.median([r["networks@1000"] for r in by[m][c]]) for c in cells]
    hv = []
    for b in (100, 300, 1000):
        hv.append(sum(np.median([r[f"hv@{b}"] for r in by[m][c]])
                      >= np.median([r[f"hv@{b}"] for r in by["nsga2"][c]]) for c in cells))
    print(f"{m:12s} front cells @1000 {np.mean(rec):.3f} (>= 0.9 in {sum(x >= 0.9 for x in rec)}), "
          f"networks {np.mean(net):.3f}; HV >= NSGA-II's in {hv[0]} / {hv[1]} / {hv[2]} of {len(cells)} cells")
