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
from _nas_common import git_rev
from _pymoo_report import (  # noqa: F401  (re-exported for the tests and tune_pymoo)
    ABLATIONS,
    ALGORITHMS,
    BASELINES,
    CONSTRAINED,
    CONSTRAINT_ABLATIONS,
    FORMER,
    ONLY_ON,
    PROBLEMS,
    TOL,
    UNCONSTRAINED,
    UNCONSTRAINED_ABLATIONS,
    ablation_table,
    errors_of,
    fmt,
    mann_whitney,
    median_ci,
    results_table,
    summary,
    write_doc,
)


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
