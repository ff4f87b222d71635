"""Session 13 diagnostic: which of NSGA-II's operators carries it on the problems the
black-box preset loses (tuning seeds 100-104): the default, without polynomial mutation,
without SBX crossover. Usage: python results/s13mo/nsga_ablation.py"""

from __future__ import annotations

import sys

import numpy as np
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.indicators.hv import HV
from pymoo.operators.crossover.sbx import SBX
from pymoo.operators.mutation.pm import PM
from pymoo.optimize import minimize
from pymoo.problems import get_problem

sys.path.insert(0, "benchmarks")
import _mo_suites  # noqa: E402

from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

VARIANTS = {"nsga2": {}, "no mutation": {"mutation": PM(prob=0.0)},
            "no crossover": {"crossover": SBX(prob=0.0)}}

for name in ["zdt1", "zdt2", "dtlz2", "zdt4", "zdt6", "dtlz4", "wfg4"]:
    known = {**_mo_suites.PROBLEMS, **_mo_suites.HELDOUT}
    prob = get_problem(name, **known[name])
    pf = prob.pareto_front()
    hv = HV(ref_point=1.1 * np.maximum(pf.max(axis=0), 1.0))
    cells = []
    for vname, opts in VARIANTS.items():
        vals = []
        for s in range(100, 105):
            rec = _mo_suites._Recorded(prob)
            minimize(rec, NSGA2(pop_size=100, **opts), ("n_eval", 10_000), seed=s)
            F = np.concatenate(rec.seen)
            vals.append(hv(F[pareto_mask(-F)]) / hv(pf))
        cells.append(f"{vname} {np.median(vals):.4f}")
    print(name, " | ".join(cells), flush=True)
