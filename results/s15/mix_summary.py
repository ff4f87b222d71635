"""Summary of stair_sim.py rows with hypervolume (issue 16, session 15, tuning seeds):
per cell, mean front share and median HV@1000 of default / pairs / mix.
python results/s15/mix_summary.py FILE [FILE ...]"""
import json
import sys
from collections import defaultdict

import numpy as np

cells = defaultdict(list)
for p in sys.argv[1:]:
    for line in open(p):
        r = json.loads(line)
        cells[r["cell"]].append(r)
rec = defaultdict(list)
lower = defaultdict(int)
for c, v in cells.items():
    out = []
    for k in ("default", "pairs", "mix"):
        rec[k].append(np.median([x[k] for x in v]))
        out.append(f"{k} {rec[k][-1]:.3f} hv {np.median([x['hv_' + k] for x in v]):.6f}")
        if k != "default":
            lower[k] += np.median([x["hv_" + k] for x in v]) < np.median([x["hv_default"] for x in v])
    print(c, len(v), " | ".join(out))
print({k: round(float(np.mean(v)), 4) for k, v in rec.items()}, "HV median lower than default's:", dict(lower))
