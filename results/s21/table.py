"""Markdown table of the session-21 recombination screen (tuning seeds 100-104, prior 100).
Usage: python results/s21/table.py results/s21/tnb_a.jsonl,results/s21/tnb_b.jsonl,... [METHODS]
"""
from __future__ import annotations

import collections
import json
import sys

import numpy as np

NAMES = {"transfer": "default", "rec1": "1 of 3", "rec2": "2 of 3", "rec3": "3 of 3 (option)",
         "r3t3": "3 of 3, best 3", "r3t8": "3 of 3, best 8", "r3t10": "3 of 3, best 10",
         "r3a12": "3 of 3, after 12", "r2t8": "2 of 3, best 8", "ad1_9": "adaptive 1/3, stall 9",
         "ad1_6": "adaptive 1/3, stall 6", "ad1_1000": "adaptive 1/3, no stall",
         "ad0_6": "adaptive 0/3, stall 6",
         "soft1t5": "3 of 3, one new choice", "soft1t3": "3 of 3, best 3, one new choice",
         "nores": "no residual",
         "lin": "linear residual", "dec1": "residual penalty 1.0 (not 0.1)",
         "n0_30": "penalty shrinks after 30 queries (not 10)",
         "temper10": "weights toward uniform, n0 10", "temper30": "weights toward uniform, n0 30",
         "temper-1": "uniform weights", "ucb05": "UCB, beta 0.5", "ucb1": "UCB, beta 1",
         "ucb2": "UCB, beta 2", "ucb1d30": "UCB, beta 1 to 0 by query 30",
         "ucb2d30": "UCB, beta 2 to 0 by query 30", "ucb1d60": "UCB, beta 1 to 0 by query 60",
         "ucb2d60": "UCB, beta 2 to 0 by query 60", "ucb1w10_40": "UCB, beta 1 from query 10 to 0 by 40",
         "ucb2w10_40": "UCB, beta 2 from query 10 to 0 by 40"}
recs = [json.loads(x) for f in sys.argv[1].split(",") for x in open(f) if x.strip()]
by = collections.defaultdict(lambda: collections.defaultdict(dict))
for r in recs:
    by[(r["part"][9:], r["task"])][r["method"]][r["seed"]] = r
methods = [m for m in NAMES if any(m in d for d in by.values())]
if len(sys.argv) > 2:  # only these rows
    methods = [m for m in methods if m in sys.argv[2].split(",")]


def best(r, b):
    v = r["best"].get(str(b), r["best"].get(b))
    return r["opt"] if v is None else v


rule, le33, total = collections.Counter(), collections.Counter(), collections.Counter()
rows = []
for (part, task), d in sorted(by.items()):
    cells = []
    for m in methods:
        seeds = sorted(d[m])
        q = float(np.median([d[m][s]["q"] or 101 for s in seeds]))
        ok = all(np.median([best(d[m][s], b) for s in seeds]) >= max(
            np.median([best(d[x][s], b) for s in seeds]) for x in ("REA", "TPE"))
            for b in (10, 30, 100))
        rule[m] += ok
        le33[m] += q <= 33
        total[m] += q
        cells.append((">100" if q > 100 else f"{q:g}") + ("" if ok else "*"))
    rows.append(f"| {part} {task} | " + " | ".join(cells) + " |")
print("| held out | " + " | ".join(NAMES[m] for m in methods) + " |")
print("|---" * (len(methods) + 1) + "|")
print("\n".join(rows))
print("| tasks at or above REA and TPE at 10/30/100 | " + " | ".join(str(rule[m]) for m in methods) + " |")
print("| tasks with median <= 33 | " + " | ".join(str(le33[m]) for m in methods) + " |")
print("| sum of medians (>100 as 101) | " + " | ".join(f"{total[m]:g}" for m in methods) + " |")
