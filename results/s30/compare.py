"""Issue 13, session 30: queries to the held-out optimum at a budget of 400, per task and
row, with paired wins of ROW_B over ROW_A (same seeds; a miss counts as 401).
python results/s30/compare.py FILES ROW_A ROW_B   (FILES comma-separated JSON lines;
method "transfer" is read as "restart", the former behaviour)"""
import json
import math
import sys
from collections import defaultdict

import numpy as np
from scipy import stats

files, a, b = sys.argv[1].split(","), sys.argv[2], sys.argv[3]
by = defaultdict(dict)
for f in files:
    for line in open(f):
        r = json.loads(line)
        m = "restart" if r["method"] == "transfer" else r["method"]
        by[(r["part"], r["task"], m)][r["seed"]] = r["q"] if r["q"] is not None else math.inf


def med(q):
    x = float(np.median(q))
    return ">400" if math.isinf(x) else f"{x:g}"


print(f"| held-out task | seeds | {a}: median, hits | {b}: median, hits | {b} fewer / more queries | Wilcoxon p |")
print("|---|---|---|---|---|---|")
tot = [0, 0]
for part, task in sorted({k[:2] for k in by}):
    ra, rb = by.get((part, task, a), {}), by.get((part, task, b), {})
    seeds = sorted(set(ra) & set(rb))
    if not seeds:
        continue
    qa = np.array([min(ra[s], 401) for s in seeds])
    qb = np.array([min(rb[s], 401) for s in seeds])
    better, worse = int((qb < qa).sum()), int((qb > qa).sum())
    tot[0] += better
    tot[1] += worse
    p = stats.wilcoxon(qa, qb).pvalue if better + worse else 1.0
    hits = lambda q: int((q <= 400).sum())  # noqa: E731
    print(f"| {part.removeprefix('transnas-')} {task} | {len(seeds)} | {med([ra[s] for s in seeds])}, {hits(qa)} | "
          f"{med([rb[s] for s in seeds])}, {hits(qb)} | {better} / {worse} | {p:.2g} |")
print(f"\nall tasks: {b} needs fewer queries in {tot[0]} runs, more in {tot[1]}")
