"""Markdown table of the session-11 tuning runs: median over seeds, paired Wilcoxon p against
the default and seeds where the row is higher, diffusion share.

python results/s11ofa/table.py FILE.jsonl[,FILE.jsonl...] ["method|method|..."]
(the default's row first, then the listed methods; all by default)
"""

import json
import sys

import numpy as np
from scipy import stats

DEF = "ednag default"
recs = [json.loads(x) for f in sys.argv[1].split(",") for x in open(f)]
methods = list(dict.fromkeys(r["method"] for r in recs))
if len(sys.argv) > 2:
    methods = [DEF, *sys.argv[2].split("|")]
cols = [(c, b) for c in ("acc", "acc@25ms") for b in ("1000", "10000")]
print("| method | " + " | ".join(f"{c} @{b}" for c, b in cols) + " | diffusion share |")
print("|---" * (len(cols) + 2) + "|")
for m in methods:
    cells = []
    for c, b in cols:
        v = {
            r["seed"]: r["at"][b]["report"] for r in recs if r["method"] == m and r["problem"] == c
        }
        d = {
            r["seed"]: r["at"][b]["report"]
            for r in recs
            if r["method"] == DEF and r["problem"] == c
        }
        seeds = sorted(set(v) & set(d))
        x = np.array([v[s] for s in seeds])
        if m == DEF:
            cells.append(f"{np.median(x):.3f}")
            continue
        y = np.array([d[s] for s in seeds])
        p = stats.wilcoxon(x, y).pvalue if np.any(x != y) else 1.0
        cells.append(f"{np.median(x):.3f} (p={p:.2g}, {int((x > y).sum())}/{len(seeds)})")
    o = [r["origins"] for r in recs if r["method"] == m]
    tot = sum(sum(d.values()) for d in o)
    share = (
        f"{100 * sum(d.get('diffusion', 0) for d in o) / tot:.0f}%"
        if m.startswith("ednag")
        else "-"
    )
    print(f"| {m} | " + " | ".join(cells) + f" | {share} |")
