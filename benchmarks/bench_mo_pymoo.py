"""Multi-objective black-box problems through the pymoo adapter: ``EDNAG()`` vs NSGA-II.

What a pymoo user gets by swapping ``EDNAG()`` into ``minimize`` next to ``NSGA2`` on
ZDT1-3 (30 variables) and DTLZ2 (12 variables, 3 objectives): the hypervolume ratio of
``res.F`` (the front pymoo returns) to that of pymoo's reference front, reference point
1.1 in every objective, at 10,000 evaluations, population 100 for both. Rows: EDNAG's
default, the session-7 default (reflecting instead of clipped bounds and the
objective-space mating kernel, ``bounds_mode="reflect", niche=0.2``), the default before the
preset (``config=PYMOO_CONFIG``: the
DDIM step, the ablation of the recombination preset) and NSGA-II. Medians with 95%
bootstrap CIs, two-sided Mann-Whitney p against the default. Tuning seeds start at 100;
report seeds 0-19.

Usage::

    python benchmarks/bench_mo_pymoo.py --seeds 0-19 --doc   # writes the doc section
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import torch
from pymoo.algorithms.moo.nsga2 import NSGA2
from pymoo.indicators.hv import HV
from pymoo.optimize import minimize
from pymoo.problems import get_problem

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mo_report import fmt_med  # noqa: E402
from _nas_common import machine, md_table, update_section  # noqa: E402

from ednag_opt.integrations.pymoo import EDNAG, PYMOO_CONFIG  # noqa: E402
from ednag_opt.strategy.blackbox import multiobjective_config  # noqa: E402

DOC = Path(__file__).resolve().parents[1] / "docs" / "results_multiobjective.md"
PROBLEMS = ("zdt1", "zdt2", "zdt3", "dtlz2")
METHODS = {
    "EDNAG()": lambda: EDNAG(),
    "session-7 default (reflect, niche=0.2)": lambda: EDNAG(
        config=multiobjective_config(bounds_mode="reflect", niche=0.2), mixing=0.0),
    "EDNAG(config=PYMOO_CONFIG) (former default)": lambda: EDNAG(config=PYMOO_CONFIG),
    "NSGA2(pop_size=100)": lambda: NSGA2(pop_size=100),
}


def problem(name: str) -> Any:
    return get_problem("dtlz2", n_var=12, n_obj=3) if name == "dtlz2" else get_problem(name)


def hv_ratio(name: str, method: str, seed: int, evals: int) -> float:
    """Hypervolume of the returned front over that of the reference front."""
    prob = problem(name)
    hv = HV(ref_point=np.full(prob.n_obj, 1.1))
    res = minimize(prob, METHODS[method](), ("n_eval", evals), seed=seed)
    return float(hv(res.F) / hv(prob.pareto_front()))


def table(results: dict[tuple[str, str], list[float]]) -> str:
    """Median [95% bootstrap CI] per problem and method; p against the default."""
    rows = []
    for name in PROBLEMS:
        base = results[(name, "EDNAG()")]
        rows.append([name, *(fmt_med(results[(name, m)], None if m == "EDNAG()" else base)
                             for m in METHODS)])  # fmt: skip
    return md_table(["problem", *METHODS], rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="0-19", help="first-last")
    ap.add_argument("--evals", type=int, default=10_000)
    ap.add_argument("--doc", action="store_true", help="write the pymoo-blackbox section")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    lo, hi = (int(v) for v in args.seeds.split("-"))
    results = {(p, m): [hv_ratio(p, m, s, args.evals) for s in range(lo, hi + 1)]
               for p in PROBLEMS for m in METHODS}  # fmt: skip
    text = (f"Command: `python benchmarks/bench_mo_pymoo.py --seeds {args.seeds} --evals "
            f"{args.evals}{' --doc' if args.doc else ''}`; {machine()}.\n\n"
            f"**Hypervolume ratio of `res.F`, {args.evals:,} evaluations** (median [95% "
            "bootstrap CI of the median]; p: two-sided Mann-Whitney vs `EDNAG()`)\n\n"
            + table(results))
    print(text)
    if args.doc:
        update_section(DOC, "pymoo-blackbox", text)


if __name__ == "__main__":
    main()
