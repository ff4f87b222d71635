"""Session 12: how pycma and ours solve (or miss) BBOB f20 at d = 5: per run, its kind,
population, initial scale, evaluations and the best error after it.
python results/s12/diag20.py FID DIM INSTANCES [REP]"""
import math
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402
from ednag_opt.strategy import blackbox as B  # noqa: E402

torch.set_num_threads(1)
fid, dim = int(sys.argv[1]), int(sys.argv[2])
insts = bb.parse_ints(sys.argv[3])
rep = int(sys.argv[4]) if len(sys.argv) > 4 else 0
LOG = []
_g, _r = B.gauss_run, B._run


def g(fun, start, pop, scale, out, stop_at, target, seed):
    s = _g(fun, start, pop, scale, out, stop_at, target, seed)
    LOG.append(("G", pop, scale, s, out.fun))
    return s


def r(es, fun, start, out, stop_at, target, wait, st=None):
    s = _r(es, fun, start, out, stop_at, target, wait, st)
    LOG.append(("D", es.popsize, es.config.init_scale, s, out.fun))
    return s


B.gauss_run, B._run = g, r
for inst in insts:
    prob = bb.get_bbob_problem(fid, dim, inst)
    fo = prob.f_opt
    LOG.clear()
    rec = bb.Recorder(prob, 10000 * dim)
    try:
        B.minimize(lambda x: rec.padded(x.numpy()), dim, rec.budget, seed=inst + 7919 * rep)
    except bb.Stop:
        pass
    print(f"f{fid} d{dim} i{inst} ours: best {rec.best:.2e} solved "
          f"{np.mean([h is not None for h in rec.hits]):.2f}")
    print("   ", " ".join(f"{k}{p}/{s:.2g}:{n}->{b - fo:.1e}" for k, p, s, n, b in LOG))
    import cma
    rec = bb.Recorder(prob, 10000 * dim)
    rng = np.random.default_rng(inst)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            res = cma.fmin2(None, lambda: rng.uniform(-4, 4, dim), 2.0,
                            options={"maxfevals": rec.budget, "seed": inst + 1, "verbose": -9},
                            restarts=9, incpopsize=2,
                            parallel_objective=lambda xs: rec.padded(xs).tolist())
            hist = res[1].logger if hasattr(res[1], "logger") else None
        except bb.Stop:
            pass
    print(f"    cma: best {rec.best:.2e} solved {np.mean([h is not None for h in rec.hits]):.2f}"
          f" evals {rec.count}")
