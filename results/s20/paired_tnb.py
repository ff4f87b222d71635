"""Paired comparison of two TransNAS screen files: mean regret difference per budget (Wilcoxon), tasks better/worse by median.

python results/s20/paired_tnb.py A.jsonl LABEL_A B.jsonl LABEL_B
"""
import json
import sys
from collections import defaultdict

import numpy as np
from scipy.stats import wilcoxon


def load(f, m):
    d = defaultdict(dict)
    for r in map(json.loads, open(f)):
        if r["method"] == m:
            for b, a in r["at"].items():
                d[(r["problem"], b)][r["seed"]] = a["report"]
    return d


A, B = load(sys.argv[1], sys.argv[2]), load(sys.argv[3], sys.argv[4])
for b in ("50", "100", "300"):
    diffs, better, worse = [], 0, 0
    for key in sorted(A):
        if key[1] != b or key not in B:
            continue
        s = sorted(set(A[key]) & set(B[key]))
        a, c = np.array([A[key][i] for i in s]), np.array([B[key][i] for i in s])
        diffs += list(a - c)
        better += np.median(a) < np.median(c)
        worse += np.median(a) > np.median(c)
    d = np.array(diffs)
    p = wilcoxon(d).pvalue if (d != 0).any() else float("nan")
    print(f"@{b}: mean regret {sys.argv[2]} - {sys.argv[4]} = {d.mean():+.4f} (Wilcoxon p {p:.3g}, n {len(d)}); "
          f"tasks with lower / higher median: {better} / {worse}")
