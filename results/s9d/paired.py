"""Paired comparison of two rows of a bench_searchers raw file, per problem and budget.

usage: python results/s9d/paired.py FILE[,FILE...] "ROW A" "ROW B" [SEEDS] [PROBLEM-SUBSTRING]

Per cell: median of A and of B, mean of B - A, B better / worse / equal seeds and the
Wilcoxon signed-rank p (two-sided). nb201: queries to the optimum, a miss counts as 1,001
(beyond the budget of 1,000); nb201-noisy: test accuracy; transnas: normalised regret.
Then per budget the problems pooled (mean of B - A, Wilcoxon p) and, last, every cell
pooled after dividing each cell's differences by the spread of its values.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict

import numpy as np
from scipy import stats

sys.path.insert(0, "benchmarks")
from bench_searchers import parse_seeds  # noqa: E402


def main() -> None:
    path, a, b = sys.argv[1:4]
    seeds = set(parse_seeds(sys.argv[4])) if len(sys.argv) > 4 else None
    only = sys.argv[5] if len(sys.argv) > 5 else ""
    recs = [r for f in path.split(",") for r in json.loads(open(f).read())
            if (seeds is None or r["seed"] in seeds) and only in r["problem"]]
    by: dict[tuple[str, str], dict[int, dict]] = defaultdict(dict)
    for r in recs:
        by[(r["method"], r["problem"])][r["seed"]] = r
    bench = recs[0]["bench"]
    sign = {"nb201": -1, "nb201-noisy": 1, "transnas": -1}[bench]
    probs = sorted({p for m, p in by if m == a} & {p for m, p in by if m == b})
    pooled, raw = [], defaultdict(list)
    print(f"{path}: {b!r} - {a!r} ({'higher' if sign > 0 else 'lower'} is better)")
    for p in probs:
        common = sorted(set(by[(a, p)]) & set(by[(b, p)]))
        ra, rb = [by[(a, p)][s] for s in common], [by[(b, p)][s] for s in common]
        both = set(ra[0]["at"]) & set(rb[0]["at"])  # capped runs report fewer budgets
        budgets = ["q"] if bench == "nb201" else sorted(both, key=int)
        for bud in budgets:
            def val(r, bud=bud):
                if bud == "q":
                    return 1001.0 if r["q_opt"] is None else float(r["q_opt"])
                return float(r["at"][bud]["report"])
            x, y = np.array([val(r) for r in ra]), np.array([val(r) for r in rb])
            d = y - x
            raw[bud] += list(d)
            pooled += list(sign * d / (np.std(np.r_[x, y]) or 1.0))
            p_w = stats.wilcoxon(d).pvalue if np.any(d) else 1.0
            better, worse = int((sign * d > 0).sum()), int((sign * d < 0).sum())
            print(f"  {p:>22s} @{bud:>4s} n={len(d)}: {np.median(x):.4g} -> {np.median(y):.4g}, "
                  f"mean diff {d.mean():+.4g}, B better/worse {better}/{worse}, p {p_w:.2g}")
    for bud, d in raw.items():
        if len(probs) > 1:
            p_w = stats.wilcoxon(d).pvalue if np.any(d) else 1.0
            print(f"  all problems @{bud}: mean diff {np.mean(d):+.4g}, p {p_w:.2g} (n={len(d)})")
    pooled_arr = np.array(pooled)
    print(f"  pooled (per-cell standardised, + = B better): mean {pooled_arr.mean():+.3f}, "
          f"p {stats.wilcoxon(pooled_arr).pvalue:.2g}, B better/worse "
          f"{(pooled_arr > 0).sum()}/{(pooled_arr < 0).sum()}")


if __name__ == "__main__":
    main()
