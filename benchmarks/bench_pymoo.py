"""EDNAG (pymoo algorithm) vs pymoo's GA, DE and CMA-ES on the same problems and budgets.

Problems: pymoo's rastrigin, ackley, rosenbrock and sphere at d = 10, a shifted rastrigin
(``as_pymoo_problem``: optimum off the box centre), G1 (13 variables, 9 inequality
constraints) and two tabular HPO problems (``problems.hpo``). Every algorithm runs through
``pymoo.optimize.minimize`` with an ``("n_eval", budget)`` termination; the problem records
every evaluation, and only the first ``budget`` count: the error is the best feasible value
among them minus the known optimum (the regret on the HPO tables; ``inf`` when no
feasible solution was found). "unique" counts distinct solutions evaluated (distinct
configurations on HPO problems, where several real points decode to one).

Algorithms (pymoo defaults unless stated):

* ``EDNAG``: ``EDNAG(pop_size=30, n_steps=None)``: one diffusion fitted to the budget
  (100 steps at 3000 evaluations); on HPO problems the mixed Integer/Choice encoding and
  duplicate look-up (restarts when the diffusion ends before the budget);
* ``GA``: ``GA()`` (population 100); on HPO problems ``MixedVariableGA()`` on the same
  mixed variables;
* ``DE``: ``DE()`` (population 100, DE/rand/1/bin); on HPO problems the relaxed encoding
  (one real in ``[0, k)`` per hyperparameter, floored);
* ``CMAES``: ``CMAES()`` (pycma through pymoo, sigma 0.1 on the normalised box, random x0,
  no restarts, pycma's own stopping rules may end it early); relaxed encoding on HPO.

Usage::

    python benchmarks/bench_pymoo.py                        # 10 seeds, writes docs/results_pymoo.md
    python benchmarks/bench_pymoo.py --quick --out ''       # smoke test, no file
"""

from __future__ import annotations

import argparse
import datetime as dt
import inspect
import math
import platform
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pymoo
import torch
from pymoo.algorithms.soo.nonconvex.cmaes import CMAES
from pymoo.algorithms.soo.nonconvex.de import DE
from pymoo.algorithms.soo.nonconvex.ga import GA
from pymoo.core.mixed import MixedVariableGA
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt import EvolutionaryDDIM
from ednag_opt.integrations import EDNAG
from ednag_opt.problems import as_pymoo_problem, get_hpo_problem
from ednag_opt.problems import get_problem as get_toy

ALGORITHMS = ("EDNAG", "GA", "DE", "CMAES")
HPO = ("hpobench/vehicle", "hpolib/protein_structure")


class Recorder:
    """Problem callback: the key, objective and feasibility of every evaluation, in order."""

    def __init__(self, key: Callable[[Any], Any]) -> None:
        self.key, self.keys, self.f, self.feasible = key, [], [], []

    def __call__(self, x: Any, out: dict) -> None:
        f = np.asarray(out["F"], dtype=np.float64).reshape(len(x), -1)[:, 0]
        g = out.get("G")
        ok = np.ones(len(x), bool) if g is None else (np.asarray(g).reshape(len(x), -1) <= 0)
        self.keys += [self.key(row) for row in x]
        self.f += f.tolist()
        self.feasible += (ok if ok.ndim == 1 else ok.all(axis=1)).tolist()


def _case(name: str) -> dict[str, Any]:
    """Problem views per algorithm, the optimum, the budget and the key of a solution."""
    if name in HPO:
        hpo = get_hpo_problem(name)
        mixed, relaxed = hpo.as_pymoo(), hpo.as_pymoo(relaxed=True)
        cards = hpo.cardinalities

        def key(row: Any) -> tuple:
            if isinstance(row, dict):
                return tuple(hpo.index_of(row))
            return tuple(np.clip(np.floor(row), 0, cards - 1).astype(int).tolist())

        views = {"EDNAG": mixed, "GA": mixed, "DE": relaxed, "CMAES": relaxed}
        return dict(views=views, optimum=hpo.optimum, key=key, hpo=True)
    if name == "rastrigin-shift":
        problem = as_pymoo_problem(get_toy("rastrigin", 10, shift=1.7))
    elif name == "g1":
        problem = get_problem("g1")
    else:
        problem = get_problem(name, n_var=10)
    optimum = float(problem.pareto_front()[0, 0])
    views = dict.fromkeys(ALGORITHMS, problem)
    return dict(views=views, optimum=optimum, key=lambda r: np.asarray(r).tobytes(), hpo=False)


def _algorithm(name: str, hpo: bool) -> Any:
    if name == "EDNAG":
        return EDNAG(pop_size=30, n_steps=None)
    if name == "GA":
        return MixedVariableGA() if hpo else GA()
    return DE() if name == "DE" else CMAES()


def run_one(problem_name: str, algo: str, seed: int, budget: int) -> dict[str, Any]:
    case = _case(problem_name)
    problem = case["views"][algo]
    rec = Recorder(case["key"])
    problem.callback = rec
    t0 = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = minimize(problem, _algorithm(algo, case["hpo"]), ("n_eval", budget), seed=seed)
    finally:
        problem.callback = None
    wall = time.perf_counter() - t0
    f = np.asarray(rec.f[:budget])
    ok = np.asarray(rec.feasible[:budget], dtype=bool)
    best = f[ok].min() if ok.any() else math.inf
    return {
        "error": best - case["optimum"],
        "unique": len(set(rec.keys[:budget])),
        "n_eval": int(res.algorithm.evaluator.n_eval),
        "wall": wall,
        "feasible": bool(ok.any()),
    }


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "inf"
    return f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"


def summarise(rows: dict[tuple[str, str], list[dict]], problems: list[str]) -> list[list[str]]:
    table = []
    for p in problems:
        for a in ALGORITHMS:
            runs = rows[(p, a)]
            err = np.array([r["error"] for r in runs])
            with np.errstate(invalid="ignore"):  # inf - inf inside the interpolation
                q25, q50, q75 = np.nan_to_num(np.quantile(err, [0.25, 0.5, 0.75]), nan=math.inf)
            table.append([
                p, a, _fmt(q50), f"{_fmt(q25)} – {_fmt(q75)}",
                f"{np.median([r['unique'] for r in runs]):.0f}",
                f"{np.median([r['n_eval'] for r in runs]):.0f}",
                f"{np.median([r['wall'] for r in runs]):.2f}",
                f"{sum(r['feasible'] for r in runs)}/{len(runs)}",
            ])  # fmt: skip
    return table


def winners(rows: dict[tuple[str, str], list[dict]], problems: list[str]) -> list[str]:
    lines = []
    for p in problems:
        med = {a: float(np.median([r["error"] for r in rows[(p, a)]])) for a in ALGORITHMS}
        best = min(med.values())
        if not math.isfinite(best):
            lines.append(f"- {p}: no algorithm found a feasible solution in most runs")
            continue
        top = [a for a in ALGORITHMS if med[a] == best]
        rank = 1 + sum(v < med["EDNAG"] for v in med.values())
        lines.append(f"- {p}: best median {', '.join(top)} ({_fmt(best)}); EDNAG rank {rank}/4")
    return lines


HEADER = ["problem", "algorithm", "median error", "IQR", "unique", "n_eval", "wall s", "feasible"]


def markdown(table: list[list[str]]) -> str:
    out = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    out += ["| " + " | ".join(r) + " |" for r in table]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10, help="seeds 1..k (>= 5 for the docs)")
    ap.add_argument("--budget", type=int, default=3000, help="evaluations, continuous and G1")
    ap.add_argument("--hpo-budget", type=int, default=300, help="evaluations, HPO tables")
    ap.add_argument("--problems", default="rastrigin,ackley,rosenbrock,sphere,rastrigin-shift,"
                    "g1," + ",".join(HPO))  # fmt: skip
    ap.add_argument("--quick", action="store_true", help="2 seeds, budgets / 10")
    ap.add_argument("--out", default="docs/results_pymoo.md", help="markdown file ('' = none)")
    args = ap.parse_args(argv)
    if args.quick:
        args.seeds, args.budget, args.hpo_budget = 2, args.budget // 10, args.hpo_budget // 10
    torch.set_num_threads(1)  # tiny tensors: threads only add overhead on shared cores
    problems = args.problems.split(",")
    rows: dict[tuple[str, str], list[dict]] = {}
    t_start = time.perf_counter()
    for p in problems:
        budget = args.hpo_budget if p in HPO else args.budget
        for a in ALGORITHMS:
            # seeds from 1: pycma reads seed 0 as "seed from the clock"
            rows[(p, a)] = [run_one(p, a, s, budget) for s in range(1, args.seeds + 1)]
            r = rows[(p, a)]
            med = np.median([x["error"] for x in r])
            print(f"{p:26s} {a:6s} median error {_fmt(med):>9s}", flush=True)
    total = time.perf_counter() - t_start
    table = summarise(rows, problems)
    text = markdown(table)
    print("\n" + text + "\n")
    print("\n".join(winners(rows, problems)))
    if args.out:
        _write(Path(args.out), args, text, winners(rows, problems), total, argv)


def _default(name: str) -> Any:
    return inspect.signature(EvolutionaryDDIM).parameters[name].default


def _commit() -> str:
    run = dict(capture_output=True, text=True, check=False)
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], **run).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "src/ednag_opt"], **run).stdout
    except OSError:
        return "unknown"
    return (head or "unknown") + (" + uncommitted changes in src/ednag_opt" if dirty else "")


def _write(path: Path, args: Any, table: str, wins: list[str], total: float, argv: Any) -> None:
    cmd = "python benchmarks/bench_pymoo.py " + " ".join(argv if argv else sys.argv[1:])
    env = (
        f"Python {platform.python_version()}, torch {torch.__version__} (1 thread), "
        f"pymoo {pymoo.__version__}, numpy {np.__version__}, {platform.machine()} "
        f"({platform.processor() or 'cpu'}), 2 shared cores; total {total / 60:.1f} min; "
        f"EvolutionaryDDIM defaults: schedule {_default('schedule')!r}, sigma {_default('sigma')}; "
        f"git {_commit()}"
    )
    doc = f"""# EDNAG vs pymoo's GA, DE and CMA-ES

Generated by `benchmarks/bench_pymoo.py` on {dt.date.today().isoformat()}:

```
{cmd.strip()}
```

{args.seeds} seeds (1..{args.seeds}; pycma reads 0 as "from the clock") per cell;
budget {args.budget} evaluations on the continuous problems and G1, {args.hpo_budget} on
the HPO tables. Only the first *budget* evaluations count. "median error" and "IQR" (25th
to 75th percentile) are of the best feasible value minus the known optimum (regret on the
HPO tables; `inf` when a run found no feasible solution); "unique" is the median number of
distinct solutions evaluated (configurations, for HPO), "n_eval" pymoo's evaluation
counter, "wall s" the median seconds per run, "feasible" the runs that found a feasible
solution. Settings of every algorithm: see the module docstring of the script.

Environment: {env}.

{table}

Best median per problem (lower error is better):

{chr(10).join(wins)}
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(doc)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
