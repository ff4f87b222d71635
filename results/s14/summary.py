"""Session 14 summary of the twin phase (issue 16): the rule's two clauses and the
comparison with NSGA-II, from bench_multiobjective raw results.

python results/s14/summary.py results/mo14/twins_a.json results/mo14/twins_b.json
"""
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import mannwhitneyu

rows = [r for p in sys.argv[1:] for r in json.load(open(p))["rows"]]
TW, DF, NS = "ednag twins 0.1", "ednag", "nsga2"
by = defaultdict(lambda: defaultdict(dict))
for r in rows:
    by[(r["dataset"], r["device"])][r["method"]][r["seed"]] = r
rec = {m: [] for m in (TW, DF, NS)}
hv_lower, hv_vs_ns, rec_vs_ns, sig = 0, {b: 0 for b in (100, 300, 1000)}, 0, []
print("| cell | front cells @1000: default | twins 0.1 | NSGA-II | p (twins vs default) "
      "| HV @1000: default | twins 0.1 | NSGA-II |")
print("|---|---|---|---|---|---|---|---|")
for cell, m in sorted(by.items()):
    med = lambda meth, k: float(np.median([r[k] for r in m[meth].values()]))  # noqa: E731
    for meth in rec:
        rec[meth].append(med(meth, "recovered@1000"))
    a = [m[TW][s]["recovered@1000"] for s in sorted(m[TW])]
    b = [m[DF][s]["recovered@1000"] for s in sorted(m[DF])]
    p = mannwhitneyu(a, b).pvalue if a != b else 1.0
    sig.append((p, np.median(a) - np.median(b)))
    hv_lower += med(TW, "hv@1000") < med(DF, "hv@1000")
    for bud in hv_vs_ns:
        hv_vs_ns[bud] += med(TW, f"hv@{bud}") >= med(NS, f"hv@{bud}")
    rec_vs_ns += med(TW, "recovered@1000") >= med(NS, "recovered@1000")
    print(f"| {cell[0]} x {cell[1]} | {med(DF, 'recovered@1000'):.3f} | "
          f"{med(TW, 'recovered@1000'):.3f} | {med(NS, 'recovered@1000'):.3f} | {p:.2g} | "
          f"{med(DF, 'hv@1000'):.5f} | {med(TW, 'hv@1000'):.5f} | {med(NS, 'hv@1000'):.5f} |")
n = len(by)
print(f"\ncells {n}; mean of cell medians, front cells @1000: "
      + ", ".join(f"{k} {np.mean(v):.3f}" for k, v in rec.items()))
print(f"(a) twins mean > default mean: {np.mean(rec[TW]) > np.mean(rec[DF])}")
print(f"(b) cells where twins' median HV@1000 is lower than the default's: {hv_lower} (<= 3 to adopt)")
print(f"twins' median HV >= NSGA-II's: " + ", ".join(f"@{b} {v}/{n}" for b, v in hv_vs_ns.items()))
print(f"twins' median front cells @1000 >= NSGA-II's: {rec_vs_ns}/{n}")
print(f"significant (p<0.05) twins vs default in front cells: "
      f"{sum(p < 0.05 and d > 0 for p, d in sig)} better, {sum(p < 0.05 and d < 0 for p, d in sig)} worse")
