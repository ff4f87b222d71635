"""The session-14 rule's two clauses for every twin variant in the given raw files, against
the default's rows in the same files (issue 16, session 15), per cell and overall.

python results/s15/clauses.py FILE [FILE ...]
"""
import json
import sys
from collections import defaultdict

import numpy as np

rows = [r for p in sys.argv[1:] for r in json.load(open(p))["rows"]]
by = defaultdict(lambda: defaultdict(dict))
for r in rows:
    by[(r["dataset"], r["device"])][r["method"]][r["seed"]] = r
names = sorted({r["method"] for r in rows if r["method"].startswith("ednag twins")})
for tw in names:
    cells = [m for m in by.values() if tw in m and "ednag" in m]
    rec_t, rec_d, lower, ge_ns, better, worse = [], [], 0, 0, 0, 0
    for m in cells:
        seeds = sorted(set(m[tw]) & set(m["ednag"]))
        def med(meth, k, m=m, seeds=seeds):
            return float(np.median([m[meth][s][k] for s in seeds]))
        rec_t.append(med(tw, "recovered@1000"))
        rec_d.append(med("ednag", "recovered@1000"))
        lower += med(tw, "hv@1000") < med("ednag", "hv@1000")
        if "nsga2" in m:
            ge_ns += med(tw, "hv@1000") >= med("nsga2", "hv@1000")
        d = [m[tw][s]["recovered@1000"] - m["ednag"][s]["recovered@1000"] for s in seeds]
        better += sum(x > 0 for x in d)
        worse += sum(x < 0 for x in d)
    print(f"{tw}: {len(cells)} cells; front cells @1000 {np.mean(rec_t):.3f} vs default "
          f"{np.mean(rec_d):.3f} (runs better {better}, worse {worse}); HV@1000 lower than "
          f"the default's in {lower}; >= NSGA-II's in {ge_ns}")
