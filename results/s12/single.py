"""Session 12 diagnostic: one large-population run on BBOB f20 (d = 5) at a fixed
population, ours (`gauss_frame.gauss_run`, the Gaussian run of `minimize`'s large regime)
against pycma (one run, no restarts), same start distribution U(-4, 4)^d.
python results/s12/single.py FID DIM POPS SCALES SEEDS"""
import math
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402
from ednag_opt.strategy.blackbox import MinimizeResult  # noqa: E402
from ednag_opt.strategy.gauss_frame import gauss_run  # noqa: E402

torch.set_num_threads(1)
fid, dim = int(sys.argv[1]), int(sys.argv[2])
pops, scales = bb.parse_ints(sys.argv[3]), [float(s) for s in sys.argv[4].split(",")]
seeds = int(sys.argv[5])
import cma  # noqa: E402

for pop in pops:
    for scale in scales:
        res = {"ours": [], "cma": []}
        for inst in range(1, 6):
            prob = bb.get_bbob_problem(fid, dim, inst)
            for s in range(seeds):
                rng = np.random.default_rng([inst, s])
                x0 = rng.uniform(-4, 4, dim)
                out = MinimizeResult(None, math.inf, 0, 0)
                f = lambda x: prob.error(np.asarray(x))  # noqa: E731
                gauss_run(f, torch.as_tensor(x0), pop, scale, out, 10**6, 1e-8, 1000 * s + inst)
                res["ours"].append((out.fun, out.evaluations))
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    es = cma.CMAEvolutionStrategy(x0, scale, {"popsize": pop, "seed": s + 1,
                                                              "verbose": -9, "ftarget": 1e-8})
                    n = 0
                    while not es.stop():
                        xs = es.ask()
                        es.tell(xs, prob.error(np.asarray(xs)).tolist())
                        n += pop
                res["cma"].append((es.result.fbest, n))
        for k, v in res.items():
            e = np.array([a for a, _ in v])
            print(f"pop {pop:4d} scale {scale:g} {k:5s} solved {np.mean(e < 1e-8):.2f} "
                  f"median err {np.median(e):.2e} median evals {np.median([b for _, b in v]):.0f}",
                  flush=True)
