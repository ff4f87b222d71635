"""Session-22 summary of bench_multiobjective raw files (seeds as run); session 28 added
the front-cell metric as an optional argument.

Per method: means over cells of the per-cell medians (HV, front cells, front networks),
cells at >= 90% of the front's cells; per EDNAG row: cells where its median HV is at
least NSGA-II's (per budget); per cell: median front cells at 1,000 with Mann-Whitney p
of each row against A (default: the cheap + twins row).

Usage: python results/s22/summary.py FILE[,FILE] [A [METRIC]]  (METRIC: recovered, the
default, or recovered_tied)
"""
import collections
import json
import sys

import numpy as np
from scipy.stats import mannwhitneyu

files = sys.argv[1].split(",")
A = sys.argv[2] if len(sys.argv) > 2 else "ednag, cheap cost + twins=0.5"
MET = sys.argv[3] if len(sys.argv) > 3 else "recovered"
if MET != "recovered":
    print("front-cell metric:", MET)
rows = [r for f in files for r in json.load(open(f))["rows"]]
by = collections.defaultdict(list)
for r in rows:
    by[(r["method"], (r["dataset"], r["device"]))].append(r)
methods = list(dict.fromkeys(r["method"] for r in rows))
cells = sorted({c for _, c in by})
med = lambda m, c, k: float(np.median([r[k] for r in by[(m, c)]]))  # noqa: E731
print(f"{len(cells)} cells, seeds {min(r['seed'] for r in rows)}-{max(r['seed'] for r in rows)}")
print("| method | HV @100 | @300 | @1000 | front cells @300 | @1000 | cells >= 90% | front networks @1000 | s/run |")
print("|---|---|---|---|---|---|---|---|---|")
for m in methods:
    cs = [c for c in cells if (m, c) in by]
    v = {k: np.mean([med(m, c, k) for c in cs]) for k in
         ("hv@100", "hv@300", "hv@1000", f"{MET}@300", f"{MET}@1000", "networks@1000")}
    n90 = sum(med(m, c, f"{MET}@1000") >= 0.9 for c in cs)
    t = np.mean([r["time"] for c in cs for r in by[(m, c)]])
    print(f"| {m} | {v['hv@100']:.4f} | {v['hv@300']:.4f} | {v['hv@1000']:.5f} | "
          f"{v[f'{MET}@300']:.3f} | {v[f'{MET}@1000']:.3f} | {n90} of {len(cs)} | "
          f"{v['networks@1000']:.3f} | {t:.1f} |")
print("\n| EDNAG row | median HV >= NSGA-II's @100 | @300 | @1000 | significantly below (p<0.05) |")
print("|---|---|---|---|---|")
for m in methods:
    if m == "nsga2":
        continue
    ge, lose = [], 0
    for b in (100, 300, 1000):
        k = f"hv@{b}"
        cs = [c for c in cells if (m, c) in by and ("nsga2", c) in by]
        ge.append(f"{sum(med(m, c, k) >= med('nsga2', c, k) for c in cs)} of {len(cs)}")
        for c in cs:
            x, y = [r[k] for r in by[(m, c)]], [r[k] for r in by[("nsga2", c)]]
            lose += np.median(x) < np.median(y) and mannwhitneyu(x, y).pvalue < 0.05
    print(f"| {m} | " + " | ".join(ge) + f" | {lose} |")
print(f"\nfront cells @1000 per cell (median; p: Mann-Whitney against {A!r})")
print("| cell | " + " | ".join(methods) + " |")
print("|---" * (len(methods) + 1) + "|")
wins = {m: [0, 0] for m in methods}  # (A significantly more, A significantly fewer)
for c in cells:
    out = []
    for m in methods:
        if (m, c) not in by:
            out.append("-")
            continue
        x = [r[f"{MET}@1000"] for r in by[(m, c)]]
        s = f"{np.median(x):.3f}"
        if m != A and (A, c) in by:
            y = [r[f"{MET}@1000"] for r in by[(A, c)]]
            p = mannwhitneyu(x, y).pvalue
            s += f" (p {p:.2g})"
            if p < 0.05:
                wins[m][int(np.median(y) < np.median(x))] += 1
        out.append(s)
    print(f"| {c[0]} x {c[1]} | " + " | ".join(out) + " |")
print(f"\n{A!r}: front cells @1000 significantly more / fewer than each row (cells)")
for m in methods:
    if m != A:
        print(f"- {m}: {wins[m][0]} / {wins[m][1]}")
hv = collections.Counter()
for m in methods:
    if m == A:
        continue
    for b in (100, 300, 1000):
        for c in cells:
            if (m, c) in by and (A, c) in by:
                x, y = [r[f"hv@{b}"] for r in by[(A, c)]], [r[f"hv@{b}"] for r in by[(m, c)]]
                d = np.median(x) - np.median(y)
                sig = mannwhitneyu(x, y).pvalue < 0.05
                hv[(m, b, "ge")] += d >= 0
                hv[(m, b, "sig+")] += sig and d > 0
                hv[(m, b, "sig-")] += sig and d < 0
print(f"\n{A!r}: median HV >= each row's (cells; significant wins / losses) @100, @300, @1000")
for m in methods:
    if m != A:
        print(f"- {m}: " + ", ".join(f"{hv[(m, b, 'ge')]} ({hv[(m, b, 'sig+')]}/{hv[(m, b, 'sig-')]})"
                                    for b in (100, 300, 1000)))
