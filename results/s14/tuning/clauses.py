"""The rule's two clauses (results/s14/RULE.md) for each twin share, on any raw files.

python results/s14/tuning/clauses.py FILE [FILE ...]
"""
import json
import sys
from collections import defaultdict

import numpy as np

rows = [r for p in sys.argv[1:] for r in json.load(open(p))["rows"]]
by = defaultdict(lambda: defaultdict(list))
for r in rows:
    by[(r["dataset"], r["device"])][r["method"]].append(r)
names = sorted({r["method"] for r in rows if r["method"].startswith("ednag twins")})
for tw in names:
    rec = {"ednag": [], tw: []}
    lower = ge_ns = ge_ns_def = 0
    for m in by.values():
        def med(meth, k, m=m):
            return float(np.median([r[k] for r in m[meth]]))
        for k in rec:
            rec[k].append(med(k, "recovered@1000"))
        lower += med(tw, "hv@1000") < med("ednag", "hv@1000")
        ge_ns += med(tw, "hv@1000") >= med("nsga2", "hv@1000")
        ge_ns_def += med("ednag", "hv@1000") >= med("nsga2", "hv@1000")
    print(f"{tw}: {len(by)} cells; front cells @1000 {np.mean(rec[tw]):.3f} vs default "
          f"{np.mean(rec['ednag']):.3f}; HV@1000 lower than the default's in {lower}; "
          f"HV@1000 >= NSGA-II's in {ge_ns} (default {ge_ns_def})")
