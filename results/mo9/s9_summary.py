"""Session-9 summary over raw bench_multiobjective files: per method, mean networks / recovered
at each budget; per budget, cells where the median HV of A >= B (and significant losses).
Usage: python results/mo9/s9_summary.py SEEDS FILE[:rename=old>new] ..."""
import json, sys, collections
import numpy as np
from scipy.stats import mannwhitneyu
lo, hi = map(int, sys.argv[1].split("-"))
rows = []
for arg in sys.argv[2:]:
    path, *ren = arg.split(":")
    names = dict(r.split(">") for r in ren[0].split(";")) if ren else {}
    for r in json.load(open(path))["rows"]:
        if lo <= r["seed"] <= hi:
            m = names.get(r["method"], r["method"])
            if m != "-":
                rows.append({**r, "method": m})
by = collections.defaultdict(list)
for r in rows:
    by[(r["method"], r["dataset"] + "/" + r["device"])].append(r)
methods = sorted({m for m, _ in by})
cells = sorted({c for _, c in by})
print("cells", len(cells), "seeds", lo, hi)
for m in methods:
    n = [len(by[(m, c)]) for c in cells if (m, c) in by]
    line = f"{m:34s} runs/cell {min(n)}-{max(n)} cells {len(n)}"
    for b in (100, 300, 1000):
        for k in ("networks", "recovered"):
            v = [np.median([r[f"{k}@{b}"] for r in by[(m, c)]]) for c in cells if (m, c) in by]
            line += f" | {k}@{b} {np.mean(v):.3f}"
    print(line)
pairs = [("ednag nets", "nsga2 nets"), ("ednag nets", "nsga2"), ("ednag nets", "ednag"), ("ednag", "nsga2")]
for a, b_ in pairs:
    if not any(m == a for m in methods) or not any(m == b_ for m in methods):
        continue
    for b in (100, 300, 1000):
        for k in ("hv", "networks"):
            ge = lose = n = 0
            for c in cells:
                if (a, c) in by and (b_, c) in by:
                    x = [r[f"{k}@{b}"] for r in by[(a, c)]]; y = [r[f"{k}@{b}"] for r in by[(b_, c)]]
                    n += 1
                    ge += np.median(x) >= np.median(y)
                    lose += np.median(x) < np.median(y) and mannwhitneyu(x, y).pvalue < 0.05
            print(f"{a} vs {b_} {k}@{b}: >= in {ge}/{n}, significantly behind in {lose}")
