"""Paired comparison of the session-14 tuning runs with the session-11 default and REA runs
(same seeds, same code path for the default: bit-identical configuration).

python results/s14ofa/table.py
"""
import collections
import json
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

HERE = Path(__file__).resolve().parent
files = [HERE.parent / "s11ofa" / "tune_100_109.jsonl", HERE.parent / "s11ofa" / "tune_110_119.jsonl",
         HERE / "tune.jsonl", HERE / "tune_b.jsonl"]
d = collections.defaultdict(dict)
for f in files:
    if f.exists():
        for r in map(json.loads, f.open()):
            for b, a in r["at"].items():
                d[(r["problem"], r["method"], b)][r["seed"]] = a["report"]
for prob in ("acc", "acc@25ms"):
    for b in ("1000", "10000"):
        base = d.get((prob, "ednag default", b), {})
        rea = d.get((prob, "REA", b), {})
        for (p, m, bb), v in sorted(d.items()):
            if p != prob or bb != b or m == "ednag default":
                continue
            s = sorted(set(v) & set(base))
            if not s:
                continue
            x, y = [v[k] for k in s], [base[k] for k in s]
            pv = wilcoxon(x, y).pvalue if x != y else 1.0
            print(f"{prob:9s} @{b:5s} {m[:28]:28s} n={len(s):2d} median {np.median(x):.3f} "
                  f"default {np.median(y):.3f} better {sum(a > c for a, c in zip(x, y))} "
                  f"worse {sum(a < c for a, c in zip(x, y))} p {pv:.3f} | REA {np.median([rea[k] for k in s]):.3f} "
                  f"above REA {sum(v[k] > rea[k] for k in s)}/{len(s)}")
