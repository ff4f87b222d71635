"""Summarise a screen file: per task and method, queries to the optimum and the REA/TPE rule."""
from __future__ import annotations

import collections
import json
import sys

import numpy as np

recs = [json.loads(x) for f in sys.argv[1].split(",") for x in open(f) if x.strip()]
by = collections.defaultdict(lambda: collections.defaultdict(dict))
for r in recs:
    by[(r["part"], r["task"])][r["method"]][r["seed"]] = r
methods = [m for m in dict.fromkeys(r["method"] for r in recs) if m not in ("REA", "TPE")]


def best(r, b):
    v = r["best"].get(str(b), r["best"].get(b))
    return r["opt"] if v is None else v


score = collections.Counter()
qsum = collections.defaultdict(list)
print("task".ljust(28), *[m.rjust(22) for m in methods])
for (part, task), d in sorted(by.items()):
    seeds = sorted(set.intersection(*[set(d[m]) for m in d]))
    cells = []
    for m in methods:
        qs = [d[m][s]["q"] or 101 for s in seeds]
        ok = all(np.median([best(d[m][s], b) for s in seeds]) >= max(
            np.median([best(d[x][s], b) for s in seeds]) for x in ("REA", "TPE") if x in d)
            for b in (10, 30, 100))
        score[m] += ok
        qsum[m].append(np.median(qs))
        cells.append(f"{np.median(qs):5.0f} {'Y' if ok else '-'} {','.join(str(q) if q < 101 else '-' for q in qs)}"[:22])
    print(f"{part[9:]} {task}".ljust(28), *[c.rjust(22) for c in cells])
print("rule REA/TPE".ljust(28), *[str(score[m]).rjust(22) for m in methods])
print("sum of median q".ljust(28), *[f"{sum(qsum[m]):.0f}".rjust(22) for m in methods])
print("tasks <=33".ljust(28), *[str(sum(q <= 33 for q in qsum[m])).rjust(22) for m in methods])
