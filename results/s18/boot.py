"""How many of issue #18's cells a fresh block of 20 seeds gives the default (session 18).

Resamples 20 seeds with replacement from the 40 run for the default and the four baselines
(reported 0-19: results/s17/search, kept aside 20-39: results/s17/heldout; gunzip -k the
.gz files first) and counts the cells won or tied at the optimum exactly as the summary
does (``_search_report._outcome``), on NB201, single-seed NB201 and TransNAS (54 cells;
MobileNetV3's raw runs of 0-19 are not in the checkout). python results/s18/boot.py [N]

With ``--pool59`` (after ``python results/s18/pool59.py``, which writes /tmp/pool59) it
draws from the 60 seeds 0-59 instead: blocks of 20 with replacement, and blocks of 20 and
of 40 without (subsampling: no repeated seed, so no bias against strict median wins).
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


def load(bench, pool59=False):
    files = ([Path("/tmp/pool59") / f"{bench}.json"] if pool59 else
             [S17 / d / f"{bench}.json" for d in ("search", "heldout")])
    recs = [r for f in files for r in json.loads(f.read_text())
            if r["method"] in (DEFAULT, *BASE) and r["seed"] < (60 if pool59 else 40)]
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
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1000
    pool59 = "--pool59" in sys.argv
    total_seeds = 60 if pool59 else 40
    data = {b: load(b, pool59) for b in ("nb201", "nb201-noisy", "transnas")}
    blocks = [(f"{a}-{a + 19}", range(a, a + 20)) for a in range(0, total_seeds, 20)]
    blocks.append((f"0-{total_seeds - 1}", range(total_seeds)))
    plans = [(20, True)] + ([(20, False), (40, False)] if pool59 else [])
    for size, replace in plans:
        rng = np.random.default_rng(0)
        totals = np.zeros(n, dtype=int)
        how = "with" if replace else "without"
        print(f"== blocks of {size} seeds drawn {how} replacement from {total_seeds}")
        for bench, (runs, budgets) in data.items():
            cells = len({p for p, _ in runs}) * len(budgets)
            fixed = {name: count(bench, runs, budgets, seeds) for name, seeds in blocks}
            draws = np.array([count(bench, runs, budgets,
                                    rng.choice(total_seeds, size, replace=replace))
                              for _ in range(n)])  # fmt: skip
            totals += draws
            lo, med, hi = np.percentile(draws, [2.5, 50, 97.5])
            print(f"{bench} ({cells} cells): blocks {fixed}; resampled: median "
                  f"{med:.0f}, 95% {lo:.0f}-{hi:.0f}")
        lo, med, hi = np.percentile(totals, [2.5, 50, 97.5])
        need = int(np.ceil(0.8 * 54))
        print(f"all 54 cells: median {med:.0f} ({med / 54:.0%}), 95% {lo:.0f}-{hi:.0f}; "
              f"P(>= {need}, 80%) = {np.mean(totals >= need):.3f}")


if __name__ == "__main__":
    main()
