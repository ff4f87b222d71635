"""Issue #13's TransNAS criteria from the raw runs of ``bench_transfer.py`` (results/transfer).

* per held-out task: is the transfer search's median best validation value at 10, 30 and
  100 queries at least both REA's and TPE's (over the seeds that have all three)?
* conditioned prior vs its blind twin (both with the current adaptation): median queries
  to the optimum, hits, two-sided Mann-Whitney p (misses count as worse than any hit).
* the 1/3 rule: is transfer's median number of queries to the optimum at most a third of
  surrogate mode's without transfer (each over its own seeds; a median over the budget
  counts as "> budget", so the rule is met when transfer's is at most budget / 3 and
  undecided when transfer's is finite but larger)?

Runs recorded before the current adaptation (no ``"v"`` field) are left out, as in the
tables of docs/results_transfer.md.

Usage::

    python benchmarks/transfer_criteria.py                 # TransNAS micro and macro
    python benchmarks/transfer_criteria.py --parts nb201   # conditioning on NB201
"""

from __future__ import annotations

import argparse
import collections
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
from scipy import stats

OUT = Path(__file__).resolve().parents[1] / "results" / "transfer"
BUDGETS = (10, 30, 100)


def load(part: str, out: Path = OUT) -> dict[str, dict[str, dict[int, dict[str, Any]]]]:
    """``task -> method -> seed -> record`` of every reported (non-tuning) run of ``part``
    made with the current adaptation."""
    runs: dict[str, dict[str, dict[int, dict[str, Any]]]] = collections.defaultdict(
        lambda: collections.defaultdict(dict)
    )
    for path in sorted(out.glob(f"runs_{part}*.jsonl")):
        if "tuning" in path.name:
            continue
        for line in path.read_text().splitlines():
            r = json.loads(line) if line.strip() else None
            if r and not (r["method"] in ("transfer", "blind twin") and "v" not in r):
                runs[r["task"]][r["method"]][r["seed"]] = r
    return runs


def best(r: dict[str, Any], budget: int) -> float:
    """Best validation value within ``budget`` queries (the optimum once a run stopped on it)."""
    v = r["best"].get(str(budget), r["best"].get(budget))
    return r["opt"] if v is None else v


def beats_baselines(by: dict[str, dict[int, dict[str, Any]]]) -> list[str]:
    """The budgets where transfer's median best value is below REA's or TPE's (empty: met)."""
    seeds = sorted(set(by["transfer"]) & set(by["REA"]) & set(by["TPE"]))
    misses = []
    for b in BUDGETS:
        med = {k: float(np.median([best(by[k][s], b) for s in seeds]))
               for k in ("transfer", "REA", "TPE")}  # fmt: skip
        if med["transfer"] < max(med["REA"], med["TPE"]) - 1e-12:
            misses.append(f"@{b}: {med['transfer']:.4g} vs REA {med['REA']:.4g}, "
                          f"TPE {med['TPE']:.4g}")  # fmt: skip
    return misses


def conditioning(by: dict[str, dict[int, dict[str, Any]]]) -> str:
    """Queries to the optimum, conditioned vs blind twin."""
    q = {k: [by[k][s]["q"] or math.inf for s in sorted(by[k])] for k in ("transfer", "blind twin")}
    if not q["blind twin"]:
        return "no blind-twin runs"
    a, b = (np.nan_to_num(np.asarray(q[k], dtype=float), posinf=1e9) for k in q)
    p = 1.0 if np.array_equal(np.sort(a), np.sort(b)) else stats.mannwhitneyu(a, b).pvalue
    hits = [sum(math.isfinite(v) for v in q[k]) for k in q]
    return (f"median queries {np.median(q['transfer']):g} vs {np.median(q['blind twin']):g}, "
            f"hits {hits[0]}/{len(a)} vs {hits[1]}/{len(b)}, p {p:.2g}")  # fmt: skip


def third_rule(by: dict[str, dict[int, dict[str, Any]]], budget: int = 100) -> tuple[str, str]:
    """``(verdict, text)`` of the 1/3 rule: "met", "not met", "undecided" or "neither"."""
    med = {k: float(np.median([by[k][s]["q"] or math.inf for s in by[k]]))
           for k in ("transfer", "no transfer")}  # fmt: skip
    t, n = med["transfer"], med["no transfer"]
    if math.isinf(t):
        verdict = "neither" if math.isinf(n) else "not met"
    elif math.isinf(n):
        verdict = "met" if t <= budget / 3 else "undecided"
    else:
        verdict = "met" if t <= n / 3 else "not met"
    text = (f"median queries {t:g} ({len(by['transfer'])} seeds) vs no transfer {n:g} "
            f"({len(by['no transfer'])} seeds): {verdict}")  # fmt: skip
    return verdict, text.replace("inf", f">{budget}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--parts", default="transnas-micro,transnas-macro")
    args = ap.parse_args()
    met, total = 0, 0
    third: collections.Counter[str] = collections.Counter()
    for part in args.parts.split(","):
        for task, by in sorted(load(part).items()):
            line = f"{part} {task}: {conditioning(by)}"
            if {"REA", "TPE", "transfer"} <= set(by):
                misses = beats_baselines(by)
                met, total = met + (not misses), total + 1
                line += "; >= REA and TPE at 10/30/100: " + ("; ".join(misses) or "yes")
            if {"transfer", "no transfer"} <= set(by):
                verdict, text = third_rule(by)
                third[verdict] += 1
                line += "; 1/3 rule: " + text
            print(line)
    if total:
        print(f"transfer >= REA and TPE at every budget on {met} of {total} tasks")
    if third:
        print(f"1/3 rule over {sum(third.values())} tasks: " + ", ".join(
            f"{k} {third[k]}" for k in ("met", "undecided", "not met", "neither")))  # fmt: skip


if __name__ == "__main__":
    main()
