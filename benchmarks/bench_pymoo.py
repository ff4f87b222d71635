"""EDNAG vs pymoo's GA, DE, PSO and CMA-ES on pymoo's single-objective test problems.

Problems: every single-objective problem of ``pymoo.problems.get_problem`` with a known
optimum that runs at n_var = 10 (ackley, griewank, rastrigin, rosenbrock, schwefel, sphere,
zakharov), himmelblau (2 variables) and the constrained G problems g1-g10 (g3 and g5 with
equality constraints, pymoo's tolerance 1e-4). Budgets 3,000, 10,000 and 30,000
evaluations, run as a pymoo user would: ``minimize(problem, algorithm, ("n_eval", E),
seed=s)``, each algorithm with its defaults except a population of 50 for GA, DE and PSO
(the issue's protocol; CMA-ES keeps pycma's default). EDNAG runs with its defaults
(``EDNAG()``: the adapter's presets, see docs/pymoo.md).

Every evaluation is recorded through the problem's callback (objective and pymoo's
constraint violation); a run is judged on its first E evaluations: the error is the best
feasible objective among them minus the known optimum (``inf`` when none is feasible).
The baselines do not depend on the budget, so one run to the largest budget gives all
three figures; EDNAG fits its diffusion to the budget, so it runs once per budget.
Nothing is told the optimum. Seed s is passed to pymoo as s + 1 (pycma reads 0 as "from
the clock"). Tuning used seeds 100-199 only.

Usage::

    python benchmarks/bench_pymoo.py                     # seeds 0-19, writes docs/results_pymoo.md
    python benchmarks/bench_pymoo.py --quick --out ''    # smoke test, no file
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import torch
from _nas_common import git_rev, machine, md_table
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


def make_problem(name: str) -> Any:
    from pymoo.problems import get_problem

    return get_problem(name) if name in CONSTRAINED or name == "himmelblau" else \
        get_problem(name, n_var=10)  # fmt: skip


def make_algorithm(name: str, options: dict[str, Any] | None = None) -> Any:
    from pymoo.algorithms.soo.nonconvex.cmaes import CMAES
    from pymoo.algorithms.soo.nonconvex.de import DE
    from pymoo.algorithms.soo.nonconvex.ga import GA
    from pymoo.algorithms.soo.nonconvex.pso import PSO

    from ednag_opt.integrations import EDNAG
    from ednag_opt.integrations.pymoo import PYMOO_CONFIG
    from ednag_opt.strategy.config import DDIMConfig

    if name.startswith("EDNAG"):
        opts = dict(options or {})
        if opts.get("config") == "nas":
            opts["config"] = DDIMConfig(dtype=torch.float64)
        elif opts.get("config") == "pymoo":
            opts["config"] = PYMOO_CONFIG
        return EDNAG(**opts)
    return {"GA": lambda: GA(pop_size=50), "DE": lambda: DE(pop_size=50),
            "PSO": lambda: PSO(pop_size=50), "CMAES": CMAES}[name]()  # fmt: skip


class Recorder:
    """Problem callback: objective and constraint violation of every evaluation, in order."""

    def __init__(self) -> None:
        self.f: list[float] = []
        self.cv: list[float] = []

    def __call__(self, x: Any, out: dict) -> None:
        from pymoo.core.individual import calc_cv

        n = len(x)
        self.f += np.asarray(out["F"], dtype=np.float64).reshape(n, -1)[:, 0].tolist()
        g, h = out.get("G"), out.get("H")
        g = None if g is None else np.asarray(g, dtype=np.float64).reshape(n, -1)
        h = None if h is None else np.asarray(h, dtype=np.float64).reshape(n, -1)
        cv = calc_cv(G=g, H=h) if g is not None or h is not None else np.zeros(n)
        self.cv += np.asarray(cv, dtype=np.float64).reshape(n).tolist()

    def error(self, budget: int, optimum: float) -> float:
        f, cv = np.asarray(self.f[:budget]), np.asarray(self.cv[:budget])
        ok = (cv <= 0) & np.isfinite(f)
        return float(f[ok].min() - optimum) if ok.any() else math.inf


def run_task(task: tuple[str, str, int, tuple[int, ...], dict[str, Any]]) -> dict[str, Any]:
    """One run of ``algorithm`` on ``problem`` to ``max(budgets)``; errors at each budget."""
    problem_name, algorithm, seed, budgets, options = task
    torch.set_num_threads(1)
    from pymoo.optimize import minimize

    problem = make_problem(problem_name)
    optimum = float(problem.pareto_front()[0, 0])
    rec = Recorder()
    problem.callback = rec
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        minimize(problem, make_algorithm(algorithm, options), ("n_eval", max(budgets)),
                 seed=seed + 1)  # fmt: skip
    wall = time.perf_counter() - t0
    return {"problem": problem_name, "algorithm": algorithm, "seed": seed, "wall": wall,
            "evals": len(rec.f), "errors": {str(b): rec.error(b, optimum) for b in budgets}}


def tasks_for(problems: list[str], seeds: range, budgets: list[int], n: dict[str, int],
              ablate: bool) -> list[tuple]:  # fmt: skip
    """Runs, most important first: EDNAG and DE on every seed at the lower budgets; the
    top budget on the first ``n["long"]`` seeds, GA and PSO on the first
    ``n["baseline"]`` (to the top budget on the long ones), CMA-ES on the first
    ``n["cmaes"]`` (default: ``n["baseline"]``); ablations at the middle budget on
    ``n["ablation"]`` seeds."""
    low, mid = tuple(sorted(budgets)[:-1]), (sorted(budgets)[len(budgets) // 2],)
    first, later = [], []
    for p in problems:
        for k, s in enumerate(seeds):
            long = k < n["long"]
            first += [(p, "EDNAG", s, (b,), {}) for b in low]
            first.append((p, "DE", s, (*low, max(budgets)) if long else low, {}))
            if long:
                later.append((p, "EDNAG", s, (max(budgets),), {}))
            if k < n["baseline"]:
                later += [(p, a, s, (*low, max(budgets)) if long else low, {})
                          for a in ("GA", "PSO")]  # fmt: skip
            if k < n.get("cmaes", n["baseline"]):
                later.append((p, "CMAES", s, (*low, max(budgets)) if long else low, {}))
            if not ablate:
                continue
            for name, opts in ABLATIONS.items():
                if name in CONSTRAINT_ABLATIONS and p not in CONSTRAINED:
                    continue
                if name in UNCONSTRAINED_ABLATIONS and p in CONSTRAINED:
                    continue
                if name in ONLY_ON and p not in ONLY_ON[name]:
                    continue
                if k < n["former" if name in UNCONSTRAINED_ABLATIONS else "ablation"]:
                    later.append((p, name, s, mid, opts))
    return first + later


def _done(runs: list[dict], task: tuple) -> bool:
    p, a, s, budgets, _ = task
    return any(r["problem"] == p and r["algorithm"] == a and r["seed"] == s
               and {str(b) for b in budgets} <= set(r["errors"]) for r in runs)  # fmt: skip


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


def _save(path: str, runs: list[dict], wall: float, cmd: str, rev: str) -> None:
    if path:  # also every 50 runs: a stopped benchmark still leaves its runs
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        blob = {"runs": runs, "wall": wall, "cmd": cmd, "rev": rev}
        Path(path).write_text(json.dumps(blob))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10, help="number of seeds")
    ap.add_argument("--seeds-from", type=int, default=0, help="first seed (tuning: 100)")
    ap.add_argument("--long-seeds", type=int, default=2, help="seeds run at the top budget")
    ap.add_argument("--baseline-seeds", type=int, default=2, help="seeds of GA and PSO")
    ap.add_argument("--cmaes-seeds", type=int, default=None, help="seeds of CMAES (default: "
                    "--baseline-seeds)")  # fmt: skip
    ap.add_argument("--ablation-seeds", type=int, default=2, help="seeds of the ablations")
    ap.add_argument("--former-seeds", type=int, default=10, help="seeds of the former default")
    ap.add_argument("--budgets", default="3000,10000,30000")
    ap.add_argument("--problems", default=",".join(PROBLEMS))
    ap.add_argument("--no-ablation", dest="ablate", action="store_false")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--quick", action="store_true", help="2 seeds, budgets 1000,3000")
    ap.add_argument("--out", default="docs/results_pymoo.md", help="markdown file ('' = none)")
    ap.add_argument("--raw", default="results/pymoo_runs.json", help="raw runs (JSON)")
    ap.add_argument("--from-raw", action="store_true", help="only rewrite the doc from --raw")
    ap.add_argument("--resume", nargs="*", default=[], help="raw files of earlier runs to keep")
    ap.add_argument("--load", default=f"{os.getloadavg()[0]:.1f} at the start",
                    help="machine load, as the doc should state it")  # fmt: skip
    args = ap.parse_args(argv)
    if args.quick:
        args.seeds, args.budgets, args.long_seeds = 2, "1000,3000", 2
        args.baseline_seeds = args.ablation_seeds = args.former_seeds = 2
    args.budgets = [int(b) for b in args.budgets.split(",")]
    args.problems = args.problems.split(",")
    cmd = "python benchmarks/bench_pymoo.py " + " ".join(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    rev = git_rev()
    t0 = time.perf_counter()
    if args.from_raw:
        blob = json.loads(Path(args.raw).read_text())
        runs, wall, cmd = blob["runs"], blob["wall"], blob.get("cmd", cmd)
        rev = blob.get("rev", rev)
    else:
        seeds = range(args.seeds_from, args.seeds_from + args.seeds)
        n = {"long": args.long_seeds, "baseline": args.baseline_seeds,
             "cmaes": args.cmaes_seeds or args.baseline_seeds,
             "ablation": args.ablation_seeds, "former": args.former_seeds}  # fmt: skip
        tasks = tasks_for(args.problems, seeds, args.budgets, n, args.ablate)
        runs = []
        for path in args.resume:  # runs of an earlier, stopped benchmark are kept
            old = json.loads(Path(path).read_text())["runs"]
            runs += [r for r in old if not _done(runs, (r["problem"], r["algorithm"],
                     r["seed"], tuple(int(b) for b in r["errors"]), {}))]  # fmt: skip
        tasks = [task for task in tasks if not _done(runs, task)]
        print(f"{len(tasks)} runs on {args.workers} workers ({len(runs)} resumed)", flush=True)
        with ProcessPoolExecutor(args.workers) as ex:
            for i, r in enumerate(ex.map(run_task, tasks, chunksize=1)):
                runs.append(r)
                if (i + 1) % 50 == 0:
                    _save(args.raw, runs, time.perf_counter() - t0, cmd, rev)
                    done = f"{i + 1}/{len(tasks)} runs, {time.perf_counter() - t0:.0f} s"
                    print(done, flush=True)
        wall = time.perf_counter() - t0
        _save(args.raw, runs, wall, cmd, rev)
    text = write_doc(Path(args.out) if args.out else None, runs, args, wall, cmd, rev)
    print(text)


if __name__ == "__main__":
    main()
