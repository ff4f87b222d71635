"""BBOB (COCO's 24 noiseless functions): runtime ECDFs of ours vs CMA-ES, evosax, NGOpt.

Every method spends ``budget * d`` evaluations on each (function, dimension, instance);
each evaluation goes through one :class:`Recorder`, which notes the first evaluation at
which the error ``f - f_opt`` reaches each of COCO's 51 targets 1e2, 10^1.8, ..., 1e-8.
The COCO measure at a budget ``b`` is the fraction of (function, instance, target)
triples reached within ``b * d`` evaluations (a runtime ECDF). No method is told
``f_opt``: the optimisers see ``f`` itself (since session 7; ``--shifted`` hands them
``f - f_opt`` as every table before did, whose minimum is 0, so that those rows can be
reproduced); runs stop early only once the last target is hit.

Methods (``--methods``):
* ``ours``: ``strategy.blackbox.minimize`` with ``blackbox_config(d)`` and its defaults
  (adapted frame, BIPOP restarts, stall="local"; since session 11 ``large=None``, which is
  ``"gauss-all"`` up to d = 20: rows named ``ours`` before session 11 are
  ``{"large": "ddim"}``), unbounded, start mean U(-4, 4)^d, initial scale 1; ablations
  through
  ``--ours-config '{"restarts": "ipop", "stall": "regime", "adapt_rate": 1}' --tag -old``
  (``"survival"`` and ``"large"`` go to ``minimize`` too: ``{"large": "gauss"}`` is session
  10's ``ours-gauss3``);
* ``ours-noadapt``: the same configuration with ``adapt="none"`` (ablation; needs the box
  [-5, 5]^d);
* ``paper``: the EDNAG paper's strategy (``paper_config``), popsize 100, box [-5, 5]^d,
  restarted when a run ends;
* ``cma``: pycma IPOP-CMA-ES (``fmin2``, 9 restarts, ``incpopsize=2``), x0 U(-4, 4)^d,
  sigma0 2, unbounded;
* ``evosax``: evosax ``DiffusionEvolution``, population 100, points clipped to the box;
* ``ngopt``: nevergrad ``NGOpt`` on the box, one worker. It runs at any budget, but
  its cost per evaluation grows with the budget it is given: from 10³·d on it picks a
  portfolio (``NGOpt36`` at 10⁴·d: 13 rescaled ``NGOpt14`` members) whose ``tell`` feeds
  every member: 15 ms per evaluation at d = 2 with the machine idle (session 9), 4-5 min
  for one 10⁴·d run at d = 2, about an hour at d = 5 (65 ms per evaluation under load).
* ``ngopt-free``: ``NGOpt`` on R^d, told what ours and pycma are told (no box), started
  like pycma (x0 uniform in [-4, 4]^d, step 2). At 10⁴·d it picks nevergrad's CMA at
  d <= 5 and ``ChainMetaModelPowell`` (CMA with a quadratic metamodel, then Powell) at
  d = 10, 20; both cost about 1 ms per evaluation, so it runs the whole grid.

Usage::

    python benchmarks/bench_bbob.py                        # full grid: d 2,5,10,20, 10^4 d
    python benchmarks/bench_bbob.py --quick                # f1-24, d 2,5, instances 1-2, 10^2 d
    python benchmarks/bench_bbob.py --dims 2,5,10 --budget 1000 --out results/bbob.jsonl \\
        --doc docs/results_blackbox.md
Runs are appended to ``--out`` (JSON lines) and skipped when already there, so an
interrupted grid resumes; ``--report-only`` rebuilds the tables and plots from it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
import warnings
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).parent))
from _bbob_report import by_function, plot, tables  # noqa: E402
from _nas_common import git_rev, machine, update_section  # noqa: E402

from ednag_opt.problems.bbob import BBOBProblem, get_bbob_problem  # noqa: E402
from ednag_opt.strategy.blackbox import blackbox_config, minimize, paper_config  # noqa: E402

TARGETS = 10.0 ** np.linspace(2, -8, 51)
METHODS = ("ours", "ours-noadapt", "paper", "cma", "evosax", "ngopt", "ngopt-free")
ROOT = Path(__file__).resolve().parents[1]


class Stop(Exception):
    """Raised inside an objective once the budget is spent or the last target is hit."""


class Recorder:
    """Counting objective: notes the first evaluation reaching each target."""

    def __init__(self, problem: BBOBProblem, budget: int, shifted: bool = False) -> None:
        self.problem, self.budget, self.count, self.shifted = problem, budget, 0, shifted
        self.hits: list[int | None] = [None] * len(TARGETS)
        self.best = math.inf

    def __call__(self, x: Any) -> np.ndarray:
        arr = np.asarray(x, dtype=np.float64).reshape(-1, self.problem.dim)
        if self.count >= self.budget or self.hits[-1] is not None:
            raise Stop
        arr = arr[: self.budget - self.count]
        err = self.problem.error(arr)
        for e in err:
            self.count += 1
            if e < self.best:
                self.best = float(e)
                for k, t in enumerate(TARGETS):
                    if self.hits[k] is None and e <= t:
                        self.hits[k] = self.count
        return err if self.shifted else err + self.problem.f_opt  # the optimiser sees f

    def padded(self, x: Any) -> np.ndarray:
        """Like ``__call__`` but returns a full batch (cut rows get +inf) for batch methods."""
        n = len(np.asarray(x).reshape(-1, self.problem.dim))
        out = self(x)
        return np.concatenate([out, np.full(n - len(out), np.inf)])


# ---------------------------------------------------------------------- methods
OURS_CHANGES: dict[str, Any] = {}  # --ours-config: blackbox_config overrides (tuning)
SHIFTED = [False]  # --shifted: the optimisers see f - f_opt (every table before session 7)


def run_ours(rec: Recorder, seed: int, adapt: bool = True) -> None:
    """Our black-box preset (frame adaptation on, or off with the box as ablation)."""
    d = rec.problem.dim
    changes = dict(OURS_CHANGES)
    restarts = changes.pop("restarts", "bipop")  # minimize's defaults
    stall = changes.pop("stall", "local")
    survival = changes.pop("survival", "elitist")
    large = changes.pop("large", None)  # None: minimize's default
    if "popsize_factor" in changes:
        changes["popsize"] = int(changes.pop("popsize_factor") * (4 + int(3 * math.log(d))))
    if adapt:
        cfg, bounds = blackbox_config(d, **changes), None
    else:
        cfg, bounds = blackbox_config(d, **changes, adapt="none", adapt_cycle=0), (-5.0, 5.0)
    minimize(lambda x: rec.padded(x.numpy()), d, rec.budget, seed=seed, bounds=bounds,
             config=cfg, restarts=restarts, stall=stall, survival=survival,
             large=large)  # initial scale: the config's 1.0


def run_paper(rec: Recorder, seed: int) -> None:
    """The paper's strategy, popsize 100, box; restarted from noise when a run ends."""
    d = rec.problem.dim
    cfg = paper_config(popsize=100)
    minimize(lambda x: rec.padded(x.numpy()), d, rec.budget, seed=seed, bounds=(-5.0, 5.0),
             config=cfg, restarts=True)  # IPOP, as in the first round


def run_cma(rec: Recorder, seed: int) -> None:
    """pycma IPOP-CMA-ES, unbounded, x0 uniform in [-4, 4]^d, sigma0 2."""
    import cma

    d = rec.problem.dim
    rng = np.random.default_rng(seed)
    opts = {"maxfevals": rec.budget, "seed": seed + 1, "verbose": -9}
    if rec.shifted:  # the earlier tables: pycma stopped at error 1e-8 (the Recorder stops
        opts["ftarget"] = 1e-8  # the run there anyway); with f itself it must not know f_opt
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cma.fmin2(None, lambda: rng.uniform(-4, 4, d), 2.0, options=opts, restarts=9,
                  incpopsize=2, parallel_objective=lambda xs: rec.padded(xs).tolist())  # fmt: skip


def run_evosax(rec: Recorder, seed: int, popsize: int = 100) -> None:
    """evosax DiffusionEvolution with its defaults, population 100, clipped to the box."""
    import jax
    import jax.numpy as jnp

    d = rec.problem.dim
    gens = max(2, rec.budget // popsize)
    es, params = _evosax(popsize, d, gens)
    key = jax.random.key(seed)
    key, sub = jax.random.split(key)
    x = jax.random.uniform(sub, (popsize, d), minval=-5.0, maxval=5.0)
    state = es.init(key, x, jnp.asarray(rec.padded(np.asarray(x)), dtype=jnp.float32), params)
    for _ in range(gens - 1):
        key, k_ask, k_tell = jax.random.split(key, 3)
        x, state = es.ask(k_ask, state, params)
        f = rec.padded(np.clip(np.asarray(x), -5.0, 5.0))
        f = np.minimum(f, 1e30)
        state, _ = es.tell(k_tell, x, jnp.asarray(f, dtype=jnp.float32), state, params)


@lru_cache(maxsize=8)
def _evosax(popsize: int, d: int, gens: int) -> tuple[Any, Any]:
    """One DiffusionEvolution per shape (jit caches are per instance)."""
    import jax.numpy as jnp
    from evosax.algorithms import DiffusionEvolution

    es = DiffusionEvolution(population_size=popsize, solution=jnp.zeros(d), num_generations=gens)
    return es, es.default_params


def run_ngopt(rec: Recorder, seed: int) -> None:
    """nevergrad's NGOpt on the box [-5, 5]^d, one worker."""
    import nevergrad as ng

    _ng_run(rec, ng.p.Array(shape=(rec.problem.dim,)).set_bounds(-5.0, 5.0), seed)


def run_ngopt_free(rec: Recorder, seed: int) -> None:
    """nevergrad's NGOpt told what ours and pycma are told: R^d, no box. Start as pycma's:
    x0 uniform in [-4, 4]^d, step 2."""
    import nevergrad as ng

    x0 = np.random.default_rng(seed).uniform(-4.0, 4.0, rec.problem.dim)
    _ng_run(rec, ng.p.Array(init=x0).set_mutation(sigma=2.0), seed)


def _ng_run(rec: Recorder, param: Any, seed: int) -> None:
    """NGOpt with one worker on ``param`` (seeded), one evaluation per ask, the whole budget."""
    import nevergrad as ng

    param.random_state = np.random.RandomState(seed)
    opt = ng.optimizers.NGOpt(parametrization=param, budget=rec.budget, num_workers=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(rec.budget):
            cand = _ng_ask(opt)
            opt.tell(cand, float(rec(cand.value)[0]))


def _ng_ask(opt: Any) -> Any:
    """``opt.ask()``. nevergrad 1.0.12's metamodel step calls ``float`` on a 1-element
    array, a TypeError under numpy >= 2.4: it is turned into nevergrad's own
    ``MetaModelFailure``, so NGOpt falls back to its base optimiser for that ask, exactly as
    when its metamodel fails to learn."""
    from nevergrad.optimization import metamodel, optimizerlib

    if not getattr(optimizerlib, "_bbob_patched", False):
        learn = metamodel.learn_on_k_best

        def safe_learn(*args: Any, **kwargs: Any) -> Any:
            try:
                return learn(*args, **kwargs)
            except TypeError as exc:
                raise metamodel.MetaModelFailure(str(exc)) from exc

        optimizerlib.learn_on_k_best = safe_learn
        optimizerlib._bbob_patched = True
    return opt.ask()


RUNNERS: dict[str, Callable[[Recorder, int], None]] = {
    "ours": run_ours,
    "ours-noadapt": lambda rec, seed: run_ours(rec, seed, adapt=False),
    "paper": run_paper,
    "cma": run_cma,
    "evosax": run_evosax,
    "ngopt": run_ngopt,
    "ngopt-free": run_ngopt_free,
}


def run_one(method: str, fid: int, dim: int, instance: int, budget: int) -> dict[str, Any]:
    """One run; the record holds the target hits and the wall time."""
    rec = Recorder(get_bbob_problem(fid, dim, instance), budget * dim, SHIFTED[0])
    t0 = time.perf_counter()
    try:
        RUNNERS[method](rec, instance)
    except Stop:
        pass
    return {"method": method, "fid": fid, "dim": dim, "instance": instance,
            "budget": budget, "evals": rec.count, "best": rec.best, "hits": rec.hits,
            "seconds": time.perf_counter() - t0, "shifted": rec.shifted}  # fmt: skip


# ---------------------------------------------------------------------- driver
def _extra_flags(a: argparse.Namespace) -> str:
    """The optional flags of the command line, as the doc block's command shows them."""
    out = f" --ours-config '{a.ours_config}'" if a.ours_config else ""
    out += f" --tag={a.tag}" if a.tag else ""
    out += " --shifted" if a.shifted else ""
    return out + (" --by-function" if a.by_function else "")


def seen_objective(records: list[dict[str, Any]]) -> str:
    """What the optimisers were handed in ``records``: ``f`` or ``f - f_opt`` (records
    without the ``shifted`` field predate it and were all shifted)."""
    kinds = {bool(r.get("shifted", True)) for r in records}
    if kinds == {False}:
        return "the optimisers saw f"
    if kinds == {True}:
        return "the optimisers saw f - f_opt (--shifted; every table before session 8)"
    return "MIXED: some runs saw f, some f - f_opt"


def parse_ints(text: str) -> list[int]:
    """``"1-5,7"`` -> ``[1, 2, 3, 4, 5, 7]``."""
    out: list[int] = []
    for part in text.split(","):
        a, _, b = part.partition("-")
        out += list(range(int(a), int(b) + 1)) if b else [int(a)]
    return out


def run_grid(a: argparse.Namespace, methods: list[str], done: list[dict[str, Any]],
             out: Path) -> None:
    """Run every (dim, function, instance, method) cell not yet in ``done``; append each
    record to ``done`` and to the JSON-lines file ``out`` as soon as it is finished."""
    seen = {(r["method"], r["fid"], r["dim"], r["instance"], r["budget"]) for r in done}
    for dim in parse_ints(a.dims):
        for fid in parse_ints(a.functions):
            for inst in parse_ints(a.instances):
                for m in methods:
                    name = m + a.tag if m.startswith("ours") else m
                    if (name, fid, dim, inst, a.budget) in seen:
                        continue
                    rec = run_one(m, fid, dim, inst, a.budget)
                    rec["method"] = name
                    done.append(rec)
                    with out.open("a") as fh:
                        fh.write(json.dumps(rec) + "\n")
                    solved1 = np.mean([h is not None for h in rec["hits"]])
                    print(f"d={dim:2d} f{fid:02d} i{inst} {name:13s} solved {solved1:.2f} "
                          f"best {rec['best']:.2e} {rec['seconds']:.1f}s", flush=True)


def main() -> None:
    """Run the grid (resumable) and print/write the tables."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--methods", default=",".join(METHODS))
    p.add_argument("--functions", default="1-24")
    p.add_argument("--dims", default="2,5,10,20")
    p.add_argument("--instances", default="1-5")
    p.add_argument("--budget", type=int, default=10000, help="evaluations per dimension")
    p.add_argument("--quick", action="store_true", help="d 2,5, instances 1-2, budget 100")
    p.add_argument("--out", default="results/bbob.jsonl")
    p.add_argument("--doc", default=None, help="write the tables into this markdown file")
    p.add_argument("--section", default="bbob", help="name of the doc block (and its plot)")
    p.add_argument("--report-only", action="store_true")
    p.add_argument("--ours-config", default=None, help="JSON overrides of blackbox_config "
                   "(plus popsize_factor, restarts); rows are named ours<--tag>")
    p.add_argument("--shifted", action="store_true", help="hand the optimisers f - f_opt "
                   "(as every table before session 7 did) instead of f")  # fmt: skip
    p.add_argument("--tag", default="", help="suffix of the ours rows (tuning variants)")
    p.add_argument("--by-function", action="store_true",
                   help="add a table per function (10^3 d and the budget, p vs pycma)")
    a = p.parse_args()
    SHIFTED[0] = a.shifted
    if a.ours_config:
        OURS_CHANGES.update(json.loads(a.ours_config))
    if a.quick:
        a.dims, a.instances, a.budget = "2,5", "1-2", 100
    torch.set_num_threads(1)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    methods = a.methods.split(",")
    unknown = set(methods) - set(METHODS)
    if unknown:
        raise SystemExit(f"unknown methods {sorted(unknown)}; choose from {METHODS}")
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    done = []
    if out.exists():
        done = [json.loads(line) for line in out.read_text().splitlines() if line.strip()]
    if not a.report_only:
        run_grid(a, methods, done, out)
    dims, fids, insts = set(parse_ints(a.dims)), set(parse_ints(a.functions)), \
        set(parse_ints(a.instances))  # fmt: skip
    methods += [m + a.tag for m in methods if m.startswith("ours") and a.tag]
    records = [r for r in done if r["method"] in methods and r["dim"] in dims
               and r["fid"] in fids and r["instance"] in insts and r["budget"] == a.budget]
    if not records:
        return
    text = tables(records)
    if a.by_function:
        text += "\n#### Per function\n\n" + by_function(records) + "\n"
    print(text)
    if a.doc:
        img = Path(a.doc).parent / "img" / f"{a.section}_ecdf.png"
        plot(records, img)
        head = (f"Command: `python benchmarks/bench_bbob.py --methods {a.methods} --functions "
                f"{a.functions} --dims {a.dims} --instances {a.instances} --budget {a.budget} "
                f"--out {a.out}{_extra_flags(a)}`  \n"
                f"Machine: {machine()}; commit {git_rev()}; {len(records)} runs; "
                f"{seen_objective(records)}.\n\n"
                f"![BBOB runtime ECDFs](img/{img.name})\n\n"
                "Cells: mean solved fraction of the 51 targets per run (95% bootstrap CI "
                "over the runs) within the budget given in evaluations per dimension; p: "
                "two-sided Mann-Whitney test of the per-run fractions against pycma's.\n")
        update_section(Path(a.doc), a.section, head + "\n" + text)


if __name__ == "__main__":
    main()
