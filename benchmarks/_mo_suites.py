"""Extra suites of bench_multiobjective.py: black-box problems and OFA MobileNetV3.

* black box: ``EvolutionaryDDIM(objectives=M)`` with ``multiobjective_config()`` vs pymoo's
  NSGA-II at equal evaluations on ZDT1-3 (30 variables) and DTLZ2 (12 variables, 3
  objectives), the problems the preset was tuned on, and on problems kept aside to check
  it (``HELDOUT``: ZDT4, ZDT6, DTLZ1, DTLZ3, DTLZ4, WFG4), with three ablation rows: the
  session-7 preset (reflecting bounds and the objective-space mating kernel,
  ``bounds_mode="reflect", niche=0.2``, ``REFLECT``), the preset with that kernel
  (``niche=0.2``, ``NICHE``) and the former path (DDIM step, ``BLACKBOX_BEFORE``);
  hypervolume of every point evaluated, as a ratio to the true front's (reference point
  1.1 in every objective, 1.1 times the true front's worst value where that is above 1:
  WFG4's (2.2, 4.4));
* OFA: the OFA accuracy predictor (maximised) x Note10 latency (minimised) on MobileNetV3
  at resolutions 160-224. The true front is unknown: the reference is the non-dominated set
  of everything any method queried on any seed; objectives scaled by the pooled ranges.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.core.problem import Problem
from pymoo.indicators.hv import HV

from ednag_opt import EvolutionaryDDIM, get_space, search
from ednag_opt.strategy import DDIMConfig
from ednag_opt.strategy.blackbox import multiobjective_config
from ednag_opt.strategy.pareto import pareto_mask

__all__ = ["BEFORE", "BLACKBOX", "DENSE", "FRESH", "HELDOUT", "NICHE", "REFLECT", "run_blackbox",
           "run_ofa"]


# ----------------------------------------------------------------------------- black box
#: the problems the preset was tuned on (seeds 100-159), pymoo names -> constructor options
PROBLEMS: dict[str, dict[str, int]] = {"zdt1": {}, "zdt2": {}, "zdt3": {},
                                       "dtlz2": {"n_var": 12, "n_obj": 3}}  # fmt: skip
BLACKBOX = tuple(PROBLEMS)
#: problems kept aside to check the preset (never tuned on): the Pareto set inside the box
#: (ZDT4's x2.., DTLZ1/3/4's distance variables, WFG4) or on its boundary (ZDT6)
HELDOUT: dict[str, dict[str, int]] = {"zdt4": {}, "zdt6": {}, "dtlz1": {"n_var": 7, "n_obj": 3},
                                      "dtlz3": {"n_var": 12, "n_obj": 3},
                                      "dtlz4": {"n_var": 12, "n_obj": 3},
                                      "wfg4": {"n_var": 12, "n_obj": 2}}  # fmt: skip
#: problems first run in session 13, to check the sparse noise found on the eight above
#: (which by then had all been tuned on): every other WFG problem pymoo ships with a front
FRESH: dict[str, dict[str, int]] = {f"wfg{i}": {"n_var": 12, "n_obj": 2}
                                    for i in (1, 2, 3, 5, 6, 7, 8, 9)}  # fmt: skip
#: The former EvolutionaryDDIM options on the black-box problems, the ablation row (DDIM
#: step; tuned on seed 100, ZDT1 only: log-cosine 0.09, cosine 0.49, linear 0.58 HV ratio).
BLACKBOX_BEFORE = {"schedule": "linear", "dtype": "float64"}
#: name of the ablation row
BEFORE = "ednag, DDIM step (before)"
#: name of the ablation row with the mating kernel (bounds clipped, as the preset)
NICHE = "ednag, niche=0.2"
#: name of the ablation row with reflecting bounds and the kernel (the session-7 preset)
REFLECT = "ednag, reflect, niche=0.2 (session 7)"
#: name of the ablation row with dense noise: the session-10 preset, bit for bit
DENSE = "ednag, dense noise (session 10)"
#: the session-10 preset's step options (``multiobjective_config`` before session 13)
DENSE_OPTIONS = {"sparse_noise": False}
#: short names of the rows for ``run_blackbox(only=...)`` (the long ones hold commas)
ROW_ALIASES = {"niche": NICHE, "ddim": BEFORE, "reflect": REFLECT, "dense": DENSE}


class _Recorded(Problem):
    """A pymoo problem that keeps every objective vector it evaluates."""

    def __init__(self, inner: Problem) -> None:
        super().__init__(n_var=inner.n_var, n_obj=inner.n_obj, xl=inner.xl, xu=inner.xu)
        self.inner, self.seen = inner, []

    def _evaluate(self, x: np.ndarray, out: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        out["F"] = self.inner.evaluate(x, return_values_of=["F"])
        self.seen.append(out["F"])


def run_blackbox(seeds: list[int], evals: int = 10_000, pop: int = 100,
                 only: list[str] | None = None,
                 problems: list[str] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """EvolutionaryDDIM(objectives=M) vs NSGA-II at equal evaluations, HV of all points.
    ``only``: the rows to run (``"ednag"``, ``"reflect"``, ``"niche"``, ``"ddim"``,
    ``"nsga2"``; all when None), e.g. to add one row to saved raw results (``--report``);
    ``problems``: names from ``BLACKBOX`` or ``HELDOUT`` (``BLACKBOX`` when None)."""
    only = None if only is None else [ROW_ALIASES.get(m, m) for m in only]
    from pymoo.optimize import minimize
    from pymoo.problems import get_problem

    known = {**PROBLEMS, **HELDOUT, **FRESH}
    rows = []
    for name in problems or BLACKBOX:
        if name not in known:
            raise ValueError(f"unknown black-box problem {name!r}; choose from {tuple(known)}")
        prob = get_problem(name, **known[name])
        pf = prob.pareto_front()
        hv = HV(ref_point=1.1 * np.maximum(pf.max(axis=0), 1.0))
        best = hv(pf)
        for s in seeds:
            size = {"popsize": pop, "num_steps": evals // pop}
            configs = {"ednag": multiobjective_config(**size),
                       REFLECT: multiobjective_config(**size, **DENSE_OPTIONS,
                                                      bounds_mode="reflect", niche=0.2),
                       NICHE: multiobjective_config(**size, **DENSE_OPTIONS, niche=0.2),
                       DENSE: multiobjective_config(**size, **DENSE_OPTIONS),
                       BEFORE: DDIMConfig(**size, **BLACKBOX_BEFORE)}  # fmt: skip
            runs = {m: _run_ednag(prob, cfg, s) for m, cfg in configs.items()
                    if only is None or m in only}  # fmt: skip
            if only is None or "nsga2" in only:
                rec = _Recorded(prob)
                minimize(rec, NSGA2(pop_size=pop), ("n_eval", evals), seed=s)
                runs["nsga2"] = np.concatenate(rec.seen)
            for m, F in runs.items():
                front = F[pareto_mask(-F)]
                rows.append({"problem": name, "method": m, "seed": s, "hv": hv(front) / best})
    return rows


def _run_ednag(prob: Problem, config: DDIMConfig, seed: int) -> np.ndarray:
    """Every objective vector one EvolutionaryDDIM run evaluates on ``prob``."""
    es = EvolutionaryDDIM(shape=(prob.n_var,), config=config, seed=seed,
                          bounds=(prob.xl, prob.xu), objectives=prob.n_obj)  # fmt: skip
    seen = []
    while not es.done:
        F = prob.evaluate(es.ask().numpy(), return_values_of=["F"])
        seen.append(F)
        es.tell(torch.as_tensor(F))
    return np.concatenate(seen)


# ----------------------------------------------------------------------------- OFA
def run_ofa(seeds: list[int], budgets: list[int], methods: list[str], searchers: dict[str, Any],
            variants: dict[str, dict[str, Any]] | None = None,
            ednag: dict[str, Any] | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Every method and seed at the largest budget; fronts kept for the pooled reference.
    ``variants``: extra EDNAG rows, name -> ``search`` options (ablations); ``ednag``: the
    options of the ``ednag`` row (``--ednag``)."""
    from ednag_opt.fitness.predictors import OFAAccuracyPredictor, OFALatency
    from ednag_opt.fitness.predictors.ofa_latency import NOTE10_RESOLUTIONS

    space = get_space("mobilenetv3", resolutions=NOTE10_RESOLUTIONS)
    acc, lat = OFAAccuracyPredictor(), OFALatency()
    runs = []
    runs_of = [(m, searchers[m], dict(ednag or {}) if m == "ednag" else {}) for m in methods]
    runs_of += [(name, searchers["ednag"], opts) for name, opts in (variants or {}).items()]
    for m, searcher, opts in runs_of:
        for s in seeds:
            res = search(searcher, space, [acc, lat], max_queries=max(budgets), seed=s, **opts)
            fronts = {b: [(str(a), v) for a, v in res.pareto_front(budget=b)] for b in budgets}
            runs.append({"method": m, "seed": s, "fronts": fronts})
    return _score_ofa(runs, budgets)


def rescore_ofa(rows: list[dict[str, Any]], budgets: list[int]) -> list[dict[str, Any]] | None:
    """Rows of several OFA files scored against the front pooled from all of them (each
    file's own scores use its own pooled front); ``None`` if a row has no fronts saved."""
    if not rows or any("fronts" not in r for r in rows):
        return None
    runs = [{"method": r["method"], "seed": r["seed"],
             "fronts": {b: [(k, v) for k, v in r["fronts"][str(b)]] for b in budgets}}
            for r in rows]  # fmt: skip
    return _score_ofa(runs, budgets)


def _score_ofa(runs: list[dict[str, Any]], budgets: list[int]) -> list[dict[str, Any]]:
    pooled = {k: v for r in runs for k, v in r["fronts"][max(budgets)]}
    keys = list(pooled)
    V = np.array([pooled[k] for k in keys])
    ref_mask = pareto_mask(V * [1.0, -1.0])
    ref_keys = {keys[i] for i in np.flatnonzero(ref_mask)}
    lo, hi = V.min(axis=0), V.max(axis=0)

    def norm(P: np.ndarray) -> np.ndarray:
        return np.column_stack([(hi[0] - P[:, 0]) / (hi[0] - lo[0]),
                                (P[:, 1] - lo[1]) / (hi[1] - lo[1])])  # fmt: skip

    hv = HV(ref_point=np.array([1.1, 1.1]))
    best = hv(norm(V[ref_mask]))
    rows = []
    for r in runs:
        row = {"method": r["method"], "seed": r["seed"], "reference_front": len(ref_keys),
               "fronts": {str(b): [[k, list(map(float, v))] for k, v in r["fronts"][b]]
                          for b in budgets}}  # fmt: skip  (kept: files can be pooled later)
        for b in budgets:
            P = np.array([v for _, v in r["fronts"][b]])
            row[f"hv@{b}"] = hv(norm(P)) / best if len(P) else 0.0
            row[f"recovered@{b}"] = len({k for k, _ in r["fronts"][b]} & ref_keys) / len(ref_keys)
        rows.append(row)
    return rows
