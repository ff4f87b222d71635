"""Paired comparison across files. Usage: pair2.py FILE_A:METHOD_A FILE_B:METHOD_B [seeds lo-hi]"""
import json, sys, collections, numpy as np
from scipy.stats import wilcoxon
def load(arg):
    f, m = arg.split(":")
    by = collections.defaultdict(dict)
    for r in json.load(open(f))["rows"]:
        if r["method"] == m:
            by[(r["dataset"], r["device"])][r["seed"]] = r
    return by
A, B = load(sys.argv[1]), load(sys.argv[2])
rng = tuple(map(int, sys.argv[3].split("-"))) if len(sys.argv) > 3 else (0, 10**6)
cells = sorted(set(A) & set(B))
for k in ("hv@100", "hv@300", "hv@1000", "recovered@1000", "networks@1000"):
    a, b, pa, pb = [], [], [], []
    for c in cells:
        s = sorted(x for x in set(A[c]) & set(B[c]) if rng[0] <= x <= rng[1])
        a.append(np.median([A[c][x][k] for x in s])); b.append(np.median([B[c][x][k] for x in s]))
        pa += [A[c][x][k] for x in s]; pb += [B[c][x][k] for x in s]
    print(f"{k:15s} A {np.mean(a):.4f} B {np.mean(b):.4f}  B>=A in {sum(y >= x for x, y in zip(a, b))}/{len(cells)}"
          f"  paired p {wilcoxon(pa, pb).pvalue:.3g}  mean diff {np.mean(np.subtract(pb, pa)):+.5f}  n {len(pa)}"
          f"  cells>=0.9: A {sum(x >= 0.9 for x in a)} B {sum(x >= 0.9 for x in b)}")
