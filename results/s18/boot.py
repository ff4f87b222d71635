"""How many of issue #18's cells a fresh block of 20 seeds gives the default (session 18).

Resamples 20 seeds with replacement from the 40 run for the default and the four baselines
(reported 0-19: results/s17/search, kept aside 20-39: results/s17/heldout; gunzip -k the
.gz files first) and counts the cells won or tied at the optimum exactly as the summary
does (``_search_report._outcome``), on NB201, single-seed NB201 and TransNAS (54 cells;
MobileNetV3's raw runs of 0-19 are not in the checkout). python results/s18/boot.py [N]
"""
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
from _search_report import DEFAULT, _outcome  # noqa: E402

BASE = ("REA", "local search", "random", "TPE")
S17 = HERE.parent / "s17"


def load(bench):
    recs = [r for d in ("search", "heldout") for r in json.loads((S17 / d / f"{bench}.json").read_text())
            if r["method"] in (DEFAULT, *BASE) and r["seed"] < 40]
    runs = defaultdict(dict)  # (problem, method) -> seed -> record
    for r in recs:
        runs[(r["problem"], r["method"])][r["seed"]] = r
    budgets = ["q"] if bench == "nb201" else sorted(recs[0]["at"], key=int)
    return runs, budgets


def count(bench, runs, budgets, seeds):
    by = {k: [v[s] for s in seeds] for k, v in runs.items()}
    probs = sorted({p for p, _ in runs})
    return sum(_outcome(by, p, b, bench, BASE) in ("win", "tie at the optimum")
               for p in probs for b in budgets)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rng = np.random.default_rng(0)
    data = {b: load(b) for b in ("nb201", "nb201-noisy", "transnas")}
    totals = np.zeros(n, dtype=int)
    for bench, (runs, budgets) in data.items():
        cells = len({p for p, _ in runs}) * len(budgets)
        fixed = {name: count(bench, runs, budgets, seeds) for name, seeds in
                 (("0-19", range(20)), ("20-39", range(20, 40)), ("0-39", range(40)))}
        draws = np.array([count(bench, runs, budgets, rng.integers(0, 40, 20)) for _ in range(n)])
        totals += draws
        lo, med, hi = np.percentile(draws, [2.5, 50, 97.5])
        print(f"{bench} ({cells} cells): blocks {fixed}; resampled 20-seed blocks: median "
              f"{med:.0f}, 95% {lo:.0f}-{hi:.0f}")
    lo, med, hi = np.percentile(totals, [2.5, 50, 97.5])
    need = int(np.ceil(0.8 * 54))
    print(f"all 54 cells: median {med:.0f} ({med / 54:.0%}), 95% {lo:.0f}-{hi:.0f}; "
          f"P(>= {need}, 80%) = {np.mean(totals >= need):.3f}")


if __name__ == "__main__":
    main()
