"""Solution quality at a fixed budget: EvolutionaryDDIM vs evosax DiffusionEvolution vs CMA-ES.

Median error to the known optimum over seeds ``0..k-1`` on rastrigin, ackley, rosenbrock and
sphere (d = 10, 30) with a budget of ``3000 * d`` evaluations, counted strictly: every method
evaluates through the same budgeted objective (float64), and only the first ``budget``
evaluations count towards its best value.

Methods:
* ``ours``: :func:`ednag_run` (configurable with ``--config``: a JSON object, or a list of
  objects for several rows; keys are EvolutionaryDDIM arguments plus ``popsize``,
  ``num_steps``, ``restarts``, ``name``, and ``dtype`` as a string);
* ``evosax``: DiffusionEvolution with its defaults (``num_generations=128``, population
  ``budget // 128``) and at populations 30 and 100 (generations ``budget // popsize``);
  a best-of row picks, per function, the population with the lowest median *after the fact*;
* ``cma``: pycma IPOP-CMA-ES (``fmin2``, ``restarts=9``, ``incpopsize=2``, box bounds,
  random uniform start points, ``sigma0 = 0.25 * (upper - lower)``).

Usage::

    python benchmarks/bench_quality.py                         # full run (about 10+ minutes)
    python benchmarks/bench_quality.py --quick --methods ours --config '{"popsize": 30}'
    python benchmarks/bench_quality.py --shift-study --budget-per-dim 500  # unbounded, d=20
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import time
import warnings
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import numpy as np
import torch
from scipy import stats

from ednag_opt import EvolutionaryDDIM
from ednag_opt.problems import get_problem
from ednag_opt.strategy.blackbox import blackbox_config, minimize
from ednag_opt.strategy.schedules import log_cosine_schedule

PROBLEMS = ("rastrigin", "ackley", "rosenbrock", "sphere")
EVOSAX_POPS = ("g128", "30", "100")  # first one is the "defaults" row
EVOSAX_DEFAULT = "evosax DE (defaults, G=128)"
Result = dict[str, Any]


class Budgeted:
    """Counting objective: float64 values; the best of the first ``budget`` evaluations."""

    def __init__(self, problem: Any, budget: int) -> None:
        self.problem, self.budget = problem, budget
        self.count, self.best = 0, math.inf

    def __call__(self, x: Any) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            x = torch.from_numpy(np.array(x, dtype=np.float64))
        vals = self.problem(x.to(torch.float64))
        take = max(0, min(len(vals), self.budget - self.count))
        if take:
            self.best = min(self.best, float(torch.nan_to_num(vals[:take], nan=math.inf).min()))
        self.count += len(vals)
        return vals


# ---------------------------------------------------------------------- our method
def ednag_run(
    problem: Any,
    budget: int,
    seed: int,
    popsize: int = 100,
    num_steps: int | None = None,
    restarts: int | None = None,
    dtype: str = "float32",
    schedule: str | None = None,
    logsnr: tuple[float, float] = (-9.21, 9.21),
    min_noise: float | None = None,
    **config: Any,
) -> Result:
    """Spend ``budget`` evaluations with EvolutionaryDDIM; return the best error found.

    ``num_steps`` given: as many independent runs of ``popsize * num_steps`` as fit (or
    ``restarts``); otherwise ``restarts`` (default 1) equal runs of ``budget // restarts``.
    Run ``r`` uses seed ``1000 * seed + r``. ``schedule="logsnr"`` builds alphas with
    log(alpha / (1 - alpha)) linear from ``logsnr[0]`` (t = T-1) to ``logsnr[1]`` (t = 0);
    (-9.21, 9.21) spans the same alphas as the built-in schedules' eps = 1e-4.
    ``min_noise`` builds the log-cosine schedule with that final noise level. Other keys
    go to ``EvolutionaryDDIM``.
    """
    if num_steps is None:
        restarts = restarts or 1
        num_steps = budget // (restarts * popsize)
    else:
        restarts = restarts or max(1, budget // (popsize * num_steps))
    if num_steps < 2 or restarts * popsize * num_steps > budget:
        raise ValueError(f"popsize={popsize} x num_steps={num_steps} x {restarts} runs: no fit")
    if schedule == "logsnr":
        lam = torch.linspace(logsnr[1], logsnr[0], num_steps, dtype=torch.float64)
        schedule = torch.sigmoid(lam)
    elif min_noise is not None:
        schedule = log_cosine_schedule(num_steps, min_noise=min_noise)
    if schedule is not None:  # otherwise the strategy's own default schedule
        config["schedule"] = schedule
    obj = Budgeted(problem, budget)
    for r in range(restarts):
        es = EvolutionaryDDIM(shape=(problem.dim,), popsize=popsize, num_steps=num_steps,
                              seed=1000 * seed + r, bounds=problem.bounds,
                              dtype=getattr(torch, dtype), **config)  # fmt: skip
        while not es.done:
            es.tell(obj(es.ask()))
    return {"best": obj.best, "error": problem.error(obj.best), "evals": obj.count}


# ---------------------------------------------------------------------- evosax
@lru_cache(maxsize=16)
def _evosax(popsize: int, d: int, gens: int) -> tuple[Any, Any]:
    """One DiffusionEvolution per shape, compiled once (warm-up outside the timings)."""
    import jax
    import jax.numpy as jnp
    from evosax.algorithms import DiffusionEvolution

    es = DiffusionEvolution(population_size=popsize, solution=jnp.zeros(d), num_generations=gens)
    params = es.default_params
    key = jax.random.key(0)
    pop, fit = jnp.zeros((popsize, d)), jnp.zeros(popsize)
    state = es.init(key, pop, fit, params)
    x, state = es.ask(key, state, params)
    jax.block_until_ready(es.tell(key, x, fit, state, params))
    return es, params


def evosax_shape(budget: int, popsize: str) -> tuple[int, int]:
    """``"g128"``: 128 generations, population ``budget // 128``; ``"30"``: population 30."""
    if popsize.startswith("g"):
        return budget // int(popsize[1:]), int(popsize[1:])
    return int(popsize), budget // int(popsize)


def evosax_run(problem: Any, budget: int, seed: int, popsize: str = "g128") -> Result:
    """DiffusionEvolution, defaults; first population uniform in the box; points clipped."""
    import jax
    import jax.numpy as jnp

    pop, gens = evosax_shape(budget, popsize)
    d, (lo, hi) = problem.dim, problem.bounds
    es, params = _evosax(pop, d, gens)
    obj = Budgeted(problem, budget)
    key = jax.random.key(seed)
    key, sub = jax.random.split(key)
    x = jax.random.uniform(sub, (pop, d), minval=lo, maxval=hi)
    state = es.init(key, x, jnp.asarray(obj(x).numpy(), dtype=jnp.float32), params)
    for _ in range(gens - 1):
        key, k_ask, k_tell = jax.random.split(key, 3)
        x, state = es.ask(k_ask, state, params)
        f = obj(np.clip(np.asarray(x), lo, hi)).numpy()
        state, _ = es.tell(k_tell, x, jnp.asarray(f, dtype=jnp.float32), state, params)
    return {"best": obj.best, "error": problem.error(obj.best), "evals": obj.count}


# ---------------------------------------------------------------------- CMA-ES
def cma_run(problem: Any, budget: int, seed: int, restarts: int = 9) -> Result:
    """IPOP-CMA-ES with box bounds and random start points; budget across restarts."""
    import cma

    d, (lo, hi) = problem.dim, problem.bounds
    rng = np.random.default_rng(seed)
    obj = Budgeted(problem, budget)
    opts = {"bounds": [lo, hi], "maxfevals": budget, "seed": seed + 1, "verbose": -9}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cma.fmin2(None, lambda: rng.uniform(lo, hi, d), 0.25 * (hi - lo), options=opts,
                  restarts=restarts, incpopsize=2,
                  parallel_objective=lambda xs: obj(np.array(xs)).tolist())  # fmt: skip
    return {"best": obj.best, "error": problem.error(obj.best), "evals": obj.count}


# ---------------------------------------------------------------------- statistics
def summarise(errors: list[float], seconds: list[float]) -> dict[str, float]:
    """Median, IQR, 95% percentile-bootstrap CI of the median, median wall seconds."""
    e = np.asarray(errors, dtype=float)
    q1, med, q3 = np.percentile(e, [25, 50, 75])
    if np.ptp(e) > 0:
        ci = stats.bootstrap((e,), np.median, confidence_level=0.95, n_resamples=2000,
                             method="percentile", rng=0).confidence_interval  # fmt: skip
        lo, hi = float(ci.low), float(ci.high)
    else:
        lo = hi = float(med)
    return {"median": float(med), "iqr": float(q3 - q1), "ci_lo": lo, "ci_hi": hi,
            "seconds": float(np.median(seconds)), "n": len(e)}  # fmt: skip


def g(v: float) -> str:
    """Compact number format for the tables."""
    return f"{v:.3g}" if abs(v) >= 1e-3 or v == 0 else f"{v:.2e}"


def table(runs: list[Result]) -> str:
    """Markdown: one row per (function, d, method), ratio to evosax defaults and best-of."""
    keys = sorted(
        {(r["problem"], r["d"]) for r in runs}, key=lambda k: (k[1], PROBLEMS.index(k[0]))
    )
    out = ["| function | d | method | median error | IQR | 95% CI of median | s/run | "
           "ratio to evosax default | ratio to evosax best |",
           "|---|---:|---|---:|---:|---|---:|---:|---:|"]  # fmt: skip
    for prob, d in keys:
        here = [r for r in runs if (r["problem"], r["d"]) == (prob, d)]
        methods = list(dict.fromkeys(r["method"] for r in here))
        summ = {}
        for m in methods:
            rs = [r for r in here if r["method"] == m]
            summ[m] = summarise([r["error"] for r in rs], [r["seconds"] for r in rs])
        evo = [m for m in methods if m.startswith("evosax")]
        if evo:  # oracle choice of population, after seeing the results
            best = min(evo, key=lambda m: summ[m]["median"])
            summ[f"evosax best-of-{len(evo)} pops (oracle: {best.split('(')[1][:-1]})"] = summ[best]
        base = summ.get(EVOSAX_DEFAULT, {}).get("median")
        best_med = min((summ[m]["median"] for m in evo), default=None)
        for m, s in summ.items():
            r1 = g(s["median"] / base) if base else "-"
            r2 = g(s["median"] / best_med) if best_med else "-"
            ci = f"[{g(s['ci_lo'])}, {g(s['ci_hi'])}]"
            cells = [prob, d, m, g(s["median"]), g(s["iqr"]), ci, f"{s['seconds']:.2f}", r1, r2]
            out.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(out)


def pivot(runs: list[Result]) -> str:
    """Markdown: one row per method, one column per (function, d): median error."""
    cols = sorted(
        {(r["problem"], r["d"]) for r in runs}, key=lambda k: (k[1], PROBLEMS.index(k[0]))
    )
    out = ["| method | " + " | ".join(f"{p} {d}" for p, d in cols) + " |"]
    out.append("|---|" + "---:|" * len(cols))
    for m in dict.fromkeys(r["method"] for r in runs):
        cells = []
        for p, d in cols:
            e = [r["error"] for r in runs if (r["method"], r["problem"], r["d"]) == (m, p, d)]
            cells.append(g(float(np.median(e))) if e else "-")
        out.append(f"| {m} | " + " | ".join(cells) + " |")
    return "\n".join(out)


def make_problem(name: str, d: int, shift: float = 0.0) -> Any:
    """The test function; ``shift > 0`` moves its optimum by a fixed random vector of up to
    ``shift`` times the box half-width per coordinate (same vector for every method)."""
    if shift <= 0:
        return get_problem(name, d)
    lo, hi = get_problem(name, d).bounds
    u = torch.rand(d, generator=torch.Generator().manual_seed(12345 + d), dtype=torch.float64)
    return get_problem(name, d, shift=(2 * u - 1) * shift * (hi - lo) / 2)


# ---------------------------------------------------------------------- driver
def build_jobs(args: argparse.Namespace) -> list[tuple[str, Callable[..., Result], dict]]:
    """(row name, runner, runner kwargs) for each requested method and configuration."""
    jobs: list[tuple[str, Callable[..., Result], dict]] = []
    methods = args.methods.split(",")
    if "ours" in methods:
        configs = json.loads(args.config) if args.config else [{}]
        for cfg in configs if isinstance(configs, list) else [configs]:
            cfg = dict(cfg)
            name = cfg.pop("name", None) or "ours " + (json.dumps(cfg) if cfg else "(defaults)")
            jobs.append((name, ednag_run, cfg))
    if "evosax" in methods:
        for p in args.evosax_pops.split(","):
            label = "defaults, G=128" if p == "g128" else f"pop {p}"
            jobs.append((f"evosax DE ({label})", evosax_run, {"popsize": p}))
    if "cma" in methods:
        jobs.append(("IPOP-CMA-ES (pycma)", cma_run, {}))
    return jobs


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="d=10 only, 3 seeds")
    p.add_argument("--seeds", type=int, default=None, help="seeds 0..k-1 (default 5)")
    p.add_argument("--dims", default=None, help="comma-separated (default 10,30)")
    p.add_argument("--problems", default=",".join(PROBLEMS))
    p.add_argument("--budget-per-dim", type=int, default=3000)
    p.add_argument("--methods", default="ours,evosax,cma", help="subset of ours,evosax,cma")
    p.add_argument("--config", default=None, help="JSON object or list of objects for ours")
    p.add_argument("--evosax-pops", default=",".join(EVOSAX_POPS), help="g<G> or popsizes")
    p.add_argument("--threads", type=int, default=1, help="threads for torch/BLAS/XLA")
    p.add_argument("--json", default=None, help="append raw per-run results to this file")
    p.add_argument(
        "--from-json",
        default=None,
        help="only print the table of saved runs (comma-separated files)",
    )
    p.add_argument("--shift", type=float, default=0.0, help="shift optima (see make_problem)")
    p.add_argument("--pivot", action="store_true", help="with --from-json: medians only")
    p.add_argument("--shift-study", action="store_true", help="unbounded shifted ellipsoid")
    args = p.parse_args(argv)
    if args.shift_study:
        _limit_threads(args.threads)
        print(shift_study(args.seeds or 3, budget=20 * args.budget_per_dim))
        return
    if args.from_json:
        runs = []
        for path in args.from_json.split(","):
            with open(path) as fh:
                runs += json.load(fh)["runs"]
        print(pivot(runs) if args.pivot else table(runs))
        return
    _limit_threads(args.threads)
    seeds = args.seeds or (3 if args.quick else 5)
    dims = [int(x) for x in (args.dims or ("10" if args.quick else "10,30")).split(",")]
    info = {"date": dt.datetime.now().isoformat(timespec="seconds"), "cores": os.cpu_count(),
            "threads": args.threads, "loadavg": os.getloadavg(), "seeds": seeds,
            "budget": f"{args.budget_per_dim} * d", "shift": args.shift, "argv": argv,
            "commit": git_commit()}  # fmt: skip
    print(json.dumps(info), flush=True)
    runs: list[Result] = []
    t_all = time.perf_counter()
    for d in dims:
        budget = args.budget_per_dim * d
        for prob in args.problems.split(","):
            problem = make_problem(prob, d, args.shift)
            for name, runner, kw in build_jobs(args):
                if runner is evosax_run:  # compile outside the timings
                    pop, gens = evosax_shape(budget, kw["popsize"])
                    _evosax(pop, d, gens)
                for seed in range(seeds):
                    t0 = time.perf_counter()
                    r = runner(problem, budget, seed, **kw)
                    r.update(method=name, problem=prob, d=d, seed=seed, budget=budget,
                             seconds=time.perf_counter() - t0)  # fmt: skip
                    runs.append(r)
                errs = [g(r["error"]) for r in runs[-seeds:]]
                print(f"# d={d} {prob:10s} {name}: errors {errs}", flush=True)
    info["loadavg_end"] = os.getloadavg()
    info["total_seconds"] = time.perf_counter() - t_all
    print(f"\ntotal {info['total_seconds']:.0f} s; load average start {info['loadavg'][0]:.2f}, "
          f"end {info['loadavg_end'][0]:.2f}\n")  # fmt: skip
    print(table(runs))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"info": info, "runs": runs}, fh, indent=1)


def shift_study(seeds: int, d: int = 20, pop: int = 50, budget: int = 10_000) -> str:
    """Unbounded ellipsoid (condition 1e6) with its optimum shifted by 0/3/10/100 in every
    coordinate; every method starts at the origin with scale 1, population ``pop``."""
    import cma

    w = torch.logspace(0, 6, d, dtype=torch.float64)
    rows = ["| shift | method | median error | min | max |", "|---:|---|---:|---:|---:|"]
    for shift in (0.0, 3.0, 10.0, 100.0):
        f = lambda x, s=shift: (w * (torch.as_tensor(x, dtype=torch.float64) - s) ** 2).sum(1)  # noqa: E731
        found: dict[str, list[float]] = {"ours (black-box preset)": [], "ours, no frame": [],
                                          "pycma": []}  # fmt: skip
        for seed in range(seeds):
            cfg = blackbox_config(d, popsize=pop)
            found["ours (black-box preset)"].append(minimize(
                f, d, budget, seed=seed, x0=np.zeros(d), init_scale=1.0, config=cfg).fun)
            es = EvolutionaryDDIM((d,), popsize=pop, num_steps=budget // pop, seed=seed,
                                  dtype=torch.float64)  # fmt: skip
            while not es.done:
                es.tell(f(es.ask()))
            found["ours, no frame"].append(es.best_fitness)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                res = cma.fmin2(lambda x, f=f: float(f(np.asarray(x)[None])[0]), np.zeros(d), 1.0,
                                {"popsize": pop, "maxfevals": budget, "seed": seed + 1,
                                 "verbose": -9})  # fmt: skip
            found["pycma"].append(float(res[1].result.fbest))
        for name, errs in found.items():
            rows.append(f"| {shift:g} | {name} | {g(float(np.median(errs)))} | {g(min(errs))} "
                        f"| {g(max(errs))} |")  # fmt: skip
    return "\n".join(rows)


def git_commit() -> str:
    """HEAD of the checkout, with ``+dirty`` when src/ differs from it."""
    import subprocess

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "-s", "src") else "")


def _limit_threads(n: int) -> None:
    """Same thread count for torch, BLAS (threadpoolctl) and XLA (before jax is imported)."""
    torch.set_num_threads(n)
    if n == 1:
        os.environ.setdefault("XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false")
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(n)
    except ImportError:  # pragma: no cover
        pass


if __name__ == "__main__":
    main()
