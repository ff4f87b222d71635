"""Session 20: MobileNetV3 unconstrained at 10,000 calls, default vs REA over seeds 0-99.

python results/s20/pool_check.py   (stored 0-59 runs of results/s19/pool/ofa.json + this session's 60-99)
"""
import json

import numpy as np
from scipy.stats import mannwhitneyu

rows = [r for r in json.load(open("results/s19/pool/ofa.json")) if r["problem"] == "acc"]
new = [json.loads(line) for f in ("results/s20/check_a.jsonl", "results/s20/check_b.jsonl")
       for line in open(f)]


def vals(rs, m, lo, hi):
    return np.array([r["at"]["10000"]["report"] for r in rs if r["method"] == m and lo <= r["seed"] <= hi])


def median_ci(v, rng):
    m = np.median(rng.choice(v, (4000, len(v))), axis=1)
    return np.percentile(m, [2.5, 97.5])


def hodges_lehmann(a, b):
    return float(np.median((a[:, None] - b[None, :]).ravel()))


print("| seeds | default median [95% CI] | REA median [95% CI] | Mann-Whitney p | Hodges-Lehmann shift [95% bootstrap CI] | means | runs ending >= 85.30 |")
print("|---|---|---|---|---|---|---|")
for lab, (data, lo, hi) in {"60-99 (this session)": (new, 60, 99), "0-59 (stored)": (rows, 0, 59),
                            "0-99": (rows + new, 0, 99)}.items():
    e, r = vals(data, "ednag default", lo, hi), vals(data, "REA", lo, hi)
    rng = np.random.default_rng(1)
    hs = [hodges_lehmann(rng.choice(e, len(e)), rng.choice(r, len(r))) for _ in range(1000)]
    ce, cr, ch = median_ci(e, rng), median_ci(r, rng), np.percentile(hs, [2.5, 97.5])
    print(f"| {lab} ({len(e)}) | {np.median(e):.3f} [{ce[0]:.3f}, {ce[1]:.3f}] | {np.median(r):.3f} "
          f"[{cr[0]:.3f}, {cr[1]:.3f}] | {mannwhitneyu(e, r).pvalue:.3f} | {hodges_lehmann(e, r):+.3f} "
          f"[{ch[0]:+.3f}, {ch[1]:+.3f}] | {e.mean():.3f} / {r.mean():.3f} | "
          f"{100 * (e >= 85.3).mean():.0f}% / {100 * (r >= 85.3).mean():.0f}% |")
