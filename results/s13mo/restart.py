"""Session 13 scratch: warm restarts of the black-box multi-objective preset at the same
10,000 evaluations. Run k starts from the best ``popsize`` points evaluated so far (by
Pareto scores, told again at no cost: their objective values are known) and runs the
schedule anew. Usage: python results/s13mo/restart.py OUT.jsonl RUNS[,RUNS] [SEEDS] [PROBS]"""

from __future__ import annotations

import json
import sys
from multiprocessing import Pool

import numpy as np
import torch

sys.path.insert(0, "benchmarks")
import _mo_suites  # noqa: E402
from pair import EXTRA, NAMES  # noqa: E402
from pymoo.indicators.hv import HV  # noqa: E402
from pymoo.problems import get_problem  # noqa: E402

from ednag_opt import EvolutionaryDDIM  # noqa: E402
from ednag_opt.strategy.blackbox import multiobjective_config  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask, pareto_scores  # noqa: E402


def run(prob, runs: int, seed: int, evals: int = 10_000, pop: int = 100) -> np.ndarray:
    X, F = [], []
    steps = evals // pop // runs
    for r in range(runs):
        cfg = multiobjective_config(popsize=pop, num_steps=steps, sparse_noise=False)
        es = EvolutionaryDDIM(shape=(prob.n_var,), config=cfg,
                              seed=seed if r == 0 else 1000 * seed + r,
                              bounds=(prob.xl, prob.xu), objectives=prob.n_obj)
        if r > 0:  # the archive's best pop points as the first generation, known values
            allx, allf = np.concatenate(X), np.concatenate(F)
            top = torch.argsort(pareto_scores(-torch.as_tensor(allf)), descending=True)[:pop]
            es.ask()
            keep = top.numpy()
            es.tell(torch.as_tensor(allf[keep]), solutions=torch.as_tensor(allx[keep]))
        while not es.done and sum(len(f) for f in F) < evals:
            x = es.ask().numpy()
            f = prob.evaluate(x, return_values_of=["F"])
            X.append(x), F.append(f)
            es.tell(torch.as_tensor(f))
    return np.concatenate(F)[:evals]


def job(args):
    torch.set_num_threads(1)
    name, runs, seed = args
    known = {**_mo_suites.PROBLEMS, **_mo_suites.HELDOUT, **EXTRA}
    prob = get_problem(name, **known[name])
    pf = prob.pareto_front()
    hv = HV(ref_point=1.1 * np.maximum(pf.max(axis=0), 1.0))
    F = run(prob, runs, seed)
    return {"problem": name, "variant": f"runs{runs}", "seed": seed,
            "hv": float(hv(F[pareto_mask(-F)]) / hv(pf))}


if __name__ == "__main__":
    out, rs = sys.argv[1], [int(c) for c in sys.argv[2].split(",")]
    seeds = range(100, 105) if len(sys.argv) < 4 else [int(s) for s in sys.argv[3].split(",")]
    names = NAMES if len(sys.argv) < 5 else sys.argv[4].split(",")
    jobs = [(n, r, s) for r in rs for n in names for s in seeds]
    with Pool(2) as pool, open(out, "a") as fh:
        for row in pool.imap_unordered(job, jobs):
            fh.write(json.dumps(row) + "\n")
            fh.flush()
