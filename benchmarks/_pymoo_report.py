"""Constants, statistics and the markdown report of ``bench_pymoo.py`` (kept apart so the
benchmark driver stays short; ``bench_pymoo`` re-exports every name used by its tests)."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

import numpy as np
from _nas_common import machine, md_table
from scipy import stats

BASELINES = ("GA", "DE", "PSO", "CMAES")
ALGORITHMS = ("EDNAG", *BASELINES)
UNCONSTRAINED = ("ackley", "griewank", "rastrigin", "rosenbrock", "schwefel", "sphere",
                 "zakharov", "himmelblau")  # fmt: skip
CONSTRAINED = tuple(f"g{i}" for i in range(1, 11))
PROBLEMS = UNCONSTRAINED + CONSTRAINED
#: ablations of EDNAG's defaults (one change each), run at the middle budget
ABLATIONS: dict[str, dict[str, Any]] = {
    "EDNAG feasibility-first": {"constraint_handling": "feasibility"},
    "EDNAG stochastic-ranking": {"constraint_handling": "stochastic-ranking"},
    "EDNAG no mixing": {"mixing": 0.0},
    "EDNAG strategy defaults": {"config": "nas", "mixing": 0.0},
    "EDNAG former defaults": {"config": "pymoo"},
    "EDNAG no global phase": {"global_share": 0.0},
    "EDNAG mixing 0.3": {"mixing": 0.3},  # the former default on the constrained 2-D problems
}
CONSTRAINT_ABLATIONS = ("EDNAG feasibility-first", "EDNAG stochastic-ranking")
#: ablations that differ from the default on some problems only
ONLY_ON = {"EDNAG mixing 0.3": ("g6", "g8")}  # the adapter's mixing is off in 2-D (session 6)
#: ``PYMOO_CONFIG`` given explicitly: the adapter's former default on the unconstrained
#: problems (no frame, N = 30; on the G problems it is the default), ``--former-seeds`` seeds
FORMER = "EDNAG former defaults"
#: the continuous preset without its global phase (the frame alone; unconstrained only,
#: run on ``--former-seeds`` seeds like ``FORMER``)
UNCONSTRAINED_ABLATIONS = (FORMER, "EDNAG no global phase")
#: target precision: errors below it count as solved and tie with each other (COCO/BBOB's
#: final target 1e-8); without it, ``0`` beats ``1e-24`` although both are at the float
#: resolution of the optimum. Medians are shown unclipped; verdicts and MW p use it.
TOL = 1e-8


# ----------------------------------------------------------------------------- statistics
def median_ci(x: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Median and a distribution-free CI of it from order statistics (coverage >= level)."""
    s, n = np.sort(np.asarray(x, dtype=np.float64)), len(x)
    k = int(stats.binom.ppf((1 - level) / 2, n, 0.5))  # CI = [s_(k), s_(n-k+1)], 1-based
    while k > 0 and 1 - 2 * stats.binom.cdf(k - 1, n, 0.5) < level:
        k -= 1
    k = max(k, 1)
    return float(np.median(s)), float(s[k - 1]), float(s[n - k])


def errors_of(runs: list[dict], problem: str, algorithm: str, budget: int,
              seeds: set[int] | None = None) -> np.ndarray:  # fmt: skip
    """Errors at ``budget``, one per seed (a seed run again to a larger budget, e.g. after
    ``--resume``, counts once: its last run)."""
    by_seed = {r["seed"]: r["errors"][str(budget)] for r in runs
               if r["problem"] == problem and r["algorithm"] == algorithm
               and str(budget) in r["errors"]
               and (seeds is None or r["seed"] in seeds)}  # fmt: skip
    return np.array(list(by_seed.values()))


def mann_whitney(a: np.ndarray, b: np.ndarray) -> float:
    """Two-sided p of Mann-Whitney U (inf handled as the largest value)."""
    big = np.nanmax(np.abs(np.concatenate([a, b])[np.isfinite(np.concatenate([a, b]))]),
                    initial=1.0) * 10 + 1  # fmt: skip
    fa, fb = np.where(np.isfinite(a), a, big), np.where(np.isfinite(b), b, big)
    if np.array_equal(np.unique(fa), np.unique(fb)) and len(np.unique(fa)) == 1:
        return 1.0
    return float(stats.mannwhitneyu(fa, fb, alternative="two-sided").pvalue)


def fmt(v: float) -> str:
    if not math.isfinite(v):
        return "inf"
    return f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.1e}"


# ----------------------------------------------------------------------------- reporting
def results_table(runs: list[dict], problems: list[str], budget: int) -> tuple[str, list[str]]:
    """Markdown table of one budget and the per-problem verdicts against DE."""
    header = ["problem", *[f"{a} median [95% CI]" for a in ALGORITHMS], "feasible E/DE",
              "EDNAG <= DE", "MW p"]  # fmt: skip
    rows, verdicts = [], []
    for p in problems:
        row, errs = [p], {}
        for a in ALGORITHMS:
            e = errors_of(runs, p, a, budget)
            errs[a] = e
            if e.size == 0:
                row.append("-")
                continue
            m, lo, hi = median_ci(e)
            row.append(f"{fmt(m)} [{fmt(lo)}, {fmt(hi)}]")
        e, d = errs["EDNAG"], errs["DE"]
        if e.size == 0 or d.size == 0:
            continue
        both_inf = not (math.isfinite(np.median(e)) or math.isfinite(np.median(d)))
        win = bool(max(np.median(e), TOL) <= max(np.median(d), TOL))
        strict = bool(np.median(e) <= np.median(d))
        feas = f"{np.isfinite(e).sum()}/{np.isfinite(d).sum()} of {e.size}"
        verdict = "both inf" if both_inf else "yes" if win else "no"
        row += [feas, verdict, f"{mann_whitney(np.maximum(e, TOL), np.maximum(d, TOL)):.2g}"]
        rows.append(row)
        feasible_ok = bool(np.isfinite(e).any() or not np.isfinite(d).any())
        word = "tie" if both_inf else "win" if win else "loss"
        verdicts.append(f"{p}:{word}:{feasible_ok}:{strict or both_inf}")
    return md_table(header, rows), verdicts


def ablation_table(runs: list[dict], problems: list[str], budget: int) -> str:
    names = ["EDNAG", *ABLATIONS]
    header = ["problem", *[f"{n} median [95% CI]" for n in names],
              *[f"MW p {n.removeprefix('EDNAG ')}" for n in ABLATIONS]]  # fmt: skip
    rows = []
    for p in problems:  # the default on the ablations' seeds only
        seeds = {r["seed"] for r in runs if r["problem"] == p and r["algorithm"] in ABLATIONS}
        base = errors_of(runs, p, "EDNAG", budget, seeds)
        if base.size == 0:
            continue
        row, ps = [p], []
        for n in names:
            e = errors_of(runs, p, n, budget, seeds)
            if e.size == 0:
                row.append("-")
                if n != "EDNAG":
                    ps.append("-")
                continue
            m, lo, hi = median_ci(e)
            row.append(f"{fmt(m)} [{fmt(lo)}, {fmt(hi)}] ({np.isfinite(e).sum()}/{e.size} feas.)"
                       if p in CONSTRAINED else f"{fmt(m)} [{fmt(lo)}, {fmt(hi)}]")  # fmt: skip
            if n != "EDNAG":
                ps.append(f"{mann_whitney(base, e):.2g}")
        rows.append(row + ps)
    return md_table(header, rows)


def summary(verdicts: dict[int, list[str]]) -> list[str]:
    lines = []
    for b, vs in verdicts.items():
        wins = [v.split(":")[0] for v in vs if v.split(":")[1] == "win"]
        ties = [v.split(":")[0] for v in vs if v.split(":")[1] == "tie"]
        n = len(vs) - len(ties)
        feas_ok = all(v.split(":")[2] == "True" for v in vs)
        strict = sum(v.split(":")[1] == "win" and v.split(":")[3] == "True" for v in vs)
        tie = f" ({', '.join(ties)}: both medians inf, not counted)" if ties else ""
        lines.append(f"- {b} evaluations: EDNAG's median error <= DE's on {len(wins)}/{n} "
                     f"problems ({100 * len(wins) / max(n, 1):.0f}%; target 80%){tie}, "
                     f"errors below {TOL:g} tied ({strict}/{n} without that tolerance); "
                     f"feasible wherever DE is: {'yes' if feas_ok else 'NO'}")  # fmt: skip
    return lines


def write_doc(path: Path | None, runs: list[dict], args: Any, wall: float, cmd: str,
              rev: str) -> str:  # fmt: skip
    budgets = sorted(args.budgets)
    problems = [p for p in args.problems if any(r["problem"] == p for r in runs)]
    parts, verdicts = [], {}
    for b in budgets:
        table, verdicts[b] = results_table(runs, problems, b)
        ns = [len(errors_of(runs, p, "EDNAG", b)) for p in problems]
        n = f"{min(ns)}" if min(ns) == max(ns) else f"{min(ns)}-{max(ns)}"
        parts.append(f"### {b} evaluations ({n} seeds for EDNAG and DE)\n\n{table}")
    mid = budgets[len(budgets) // 2]
    abl = ablation_table(runs, problems, mid) if args.ablate else "(not run)"
    text = f"""Generated by `benchmarks/bench_pymoo.py` ({time.strftime('%Y-%m-%d')}, git {rev},
{machine()}, 2 cores shared with other jobs (load {args.load}), {wall / 60:.0f} min):

```
{cmd}
```

EDNAG and DE: seeds {args.seeds_from}-{args.seeds_from + args.seeds - 1} at the lower
budgets, the first {args.long_seeds} of them at {max(args.budgets)}; GA and PSO:
the first {args.baseline_seeds} seeds (at {max(args.budgets)} too within the first
{args.long_seeds}); CMA-ES: the first
{args.cmaes_seeds or args.baseline_seeds} (runs resumed from an earlier run keep the seeds
and budgets they were run to); ablations:
the first {args.ablation_seeds} seeds, "former defaults" and the other unconstrained-only
ablations the first {args.former_seeds}
(all reductions for CPU time: 2 cores shared by
several busy engineers). Errors are the best
feasible objective among a run's first E evaluations minus the known optimum (`inf`: no
feasible evaluation); medians with distribution-free 95% CIs (order statistics);
"feasible E/DE": runs with a feasible point, EDNAG / DE; "EDNAG <= DE" compares the
medians with errors below {TOL:g} (COCO's final target precision) counted as equal; "MW p":
two-sided Mann-Whitney U test, EDNAG vs DE, on the errors clipped at {TOL:g} (infeasible
runs rank last).

Summary:

{chr(10).join(summary(verdicts))}

{chr(10).join(chr(10) + s + chr(10) for s in parts)}

### Ablation at {mid} evaluations

One change to EDNAG's defaults per column (constraint handling on the G problems only),
on the ablation seeds (the default's column too); "MW p" compares each with the default
(with 2 seeds per cell no p-value can fall below 0.33: the medians are indicative only).

{abl}"""
    if path:
        from _nas_common import update_section

        update_section(path, "measured", text)
    return text
