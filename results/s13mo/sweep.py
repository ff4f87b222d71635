"""Session 13 scratch: sensitivity of the multi-objective black-box preset on TUNING seeds
(100-104) of the four tuned problems and the four held-out ones that lost to NSGA-II.
Usage: python results/s13mo/sweep.py OUT.jsonl VARIANTS_JSON [SEEDS]"""

from __future__ import annotations

import json
import sys
from multiprocessing import Pool

import numpy as np
import torch

sys.path.insert(0, "benchmarks")
from _mo_suites import HELDOUT, PROBLEMS, _run_ednag  # noqa: E402
from pymoo.indicators.hv import HV  # noqa: E402
from pymoo.problems import get_problem  # noqa: E402

from ednag_opt.strategy.blackbox import multiobjective_config  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

NAMES = ["zdt1", "zdt2", "zdt3", "dtlz2", "zdt4", "zdt6", "dtlz4", "wfg4"]


def job(args: tuple[str, str, dict, int]) -> dict:
    torch.set_num_threads(1)
    name, vname, opts, seed = args
    known = {**PROBLEMS, **HELDOUT}
    prob = get_problem(name, **known[name])
    pf = prob.pareto_front()
    hv = HV(ref_point=1.1 * np.maximum(pf.max(axis=0), 1.0))
    size = {"popsize": 100, "num_steps": 100}
    if "popsize" in opts:  # the same 10,000 evaluations
        size = {"popsize": opts["popsize"], "num_steps": 10_000 // opts["popsize"]}
    # variants are changes to the session-10 preset (dense noise), as they were run
    cfg = multiobjective_config(**{**size, "sparse_noise": False, **opts})
    F = _run_ednag(prob, cfg, seed)
    return {"problem": name, "variant": vname, "seed": seed,
            "hv": float(hv(F[pareto_mask(-F)]) / hv(pf))}


if __name__ == "__main__":
    out, variants = sys.argv[1], json.loads(sys.argv[2])
    seeds = range(100, 105) if len(sys.argv) < 4 else [int(s) for s in sys.argv[3].split(",")]
    jobs = [(n, v, o, s) for v, o in variants.items() for n in NAMES for s in seeds]
    with Pool(2) as pool, open(out, "a") as fh:
        for row in pool.imap_unordered(job, jobs):
            fh.write(json.dumps(row) + "\n")
            fh.flush()
