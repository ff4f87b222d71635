"""Issue 13, session 30: the 1/3 rule on TransNAS micro's undecided tasks at a budget of 400.
python results/s30/rule.py [BUDGET]   (reads results/s30/{tr,nt}_micro_*.jsonl)"""
import json
import math
import sys
from pathlib import Path

import numpy as np
from scipy import stats

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
from transfer_criteria import third_rule  # noqa: E402
budget = int(sys.argv[1]) if len(sys.argv) > 1 else 400


def median_ci(q: list[float]) -> tuple[float, float, float]:
    """Median and distribution-free 95% CI (order statistics of the binomial)."""
    s, n = sorted(q), len(q)
    lo = int(stats.binom.ppf(0.025, n, 0.5)) - 1
    hi = n - lo - 1
    return float(np.median(s)), s[max(lo, 0)], s[min(hi, n - 1)]


def fmt(x: float) -> str:
    return f">{budget}" if math.isinf(x) else f"{x:g}"


print("| held-out task | transfer: median (95% CI), hits | no transfer: median (95% CI), hits | MWU p | 1/3 rule |")
print("|---|---|---|---|---|")
for f in sorted(HERE.glob("tr_micro_*.jsonl")):
    task = f.stem.removeprefix("tr_micro_")
    rows = {}
    for kind in ("tr", "nt"):
        p = HERE / f"{kind}_micro_{task}.jsonl"
        recs = [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []
        rows[kind] = [r["q"] if r["q"] is not None else math.inf for r in recs]
    if not rows["tr"] or not rows["nt"]:
        continue
    (t, tl, th), (n, nl, nh) = median_ci(rows["tr"]), median_ci(rows["nt"])
    p = stats.mannwhitneyu(rows["tr"], rows["nt"]).pvalue
    verdict = third_rule({m: {i: {"q": None if math.isinf(q) else q} for i, q in enumerate(rows[k])}
                          for m, k in (("transfer", "tr"), ("no transfer", "nt"))}, budget)[0]
    hits = {k: sum(not math.isinf(x) for x in v) for k, v in rows.items()}
    print(f"| micro {task} | {fmt(t)} ({fmt(tl)}-{fmt(th)}), {hits['tr']}/{len(rows['tr'])} | "
          f"{fmt(n)} ({fmt(nl)}-{fmt(nh)}), {hits['nt']}/{len(rows['nt'])} | {p:.2g} | {verdict} |")
