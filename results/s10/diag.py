"""Session 10 diagnosis: per-run (restart) log of ours (minimize) and pycma on BBOB.

python results/s10/diag.py FIDS DIM INSTANCES [ours-config-json]
Prints, per (f, instance): for each restart its population, initial scale, evaluations
spent, the run's best error, and at which evaluation the final target (1e-8) was hit.
"""
import json
import sys
import warnings

import numpy as np
import torch

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402
from ednag_opt.strategy import blackbox as B  # noqa: E402

torch.set_num_threads(1)


def parse(t):
    return bb.parse_ints(t)


def ours_log(fid, dim, inst, cfg):
    rec = bb.Recorder(bb.get_bbob_problem(fid, dim, inst), 10000 * dim)
    runs = []
    orig = B._run

    def run(es, fun, start, out, stop_at, target, wait, st=None, *rest):
        c0 = rec.count
        b0 = rec.best
        best = [np.inf]

        def f2(x):
            v = fun(x)
            e = np.asarray(v) - rec.problem.f_opt
            best[0] = min(best[0], float(np.min(e)))
            return v
        try:
            spent = orig(es, f2, start, out, stop_at, target, wait, st)
        finally:
            fs = es.history[-1].get("frame_scale", float("nan")) if es.history else float("nan")
            runs.append((es.popsize, es.config.init_scale, rec.count - c0, best[0], es.generation, fs))
        return spent
    B._run = run
    origg = B.gauss_run

    def grun(fun, start, pop, scale, out, stop_at, target, seed):
        c0 = rec.count
        best = [np.inf]

        def f2(x):
            v = fun(x)
            best[0] = min(best[0], float(np.min(np.asarray(v) - rec.problem.f_opt)))
            return v
        try:
            return origg(f2, start, pop, scale, out, stop_at, target, seed)
        finally:
            runs.append((pop, -scale, rec.count - c0, best[0], (rec.count - c0) // pop, float("nan")))
    B.gauss_run = grun
    bb.OURS_CHANGES.clear()
    bb.OURS_CHANGES.update(cfg)
    try:
        bb.run_ours(rec, inst)
    except bb.Stop:
        pass
    finally:
        B._run = orig
        B.gauss_run = origg
    return rec, runs


def cma_log(fid, dim, inst):
    import cma
    rec = bb.Recorder(bb.get_bbob_problem(fid, dim, inst), 10000 * dim)
    runs = []
    rng = np.random.default_rng(inst)

    def par(xs):
        lam = len(xs)
        if not runs or runs[-1][0] != lam:
            runs.append([lam, 2.0, 0, np.inf, 0, 0])
        v = rec.padded(xs)
        runs[-1][2] += lam
        runs[-1][3] = min(runs[-1][3], float(np.min(v - rec.problem.f_opt)))
        runs[-1][4] += 1
        return v.tolist()
    opts = {"maxfevals": rec.budget, "seed": inst + 1, "verbose": -9}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cma.fmin2(None, lambda: rng.uniform(-4, 4, dim), 2.0, options=opts, restarts=9,
                      incpopsize=2, parallel_objective=par)
    except bb.Stop:
        pass
    return rec, runs


def main():
    fids, dim, insts = parse(sys.argv[1]), int(sys.argv[2]), parse(sys.argv[3])
    cfg = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    which = sys.argv[5].split(",") if len(sys.argv) > 5 else ["ours", "cma"]
    for fid in fids:
        for inst in insts:
            for m in which:
                rec, runs = ours_log(fid, dim, inst, cfg) if m == "ours" else cma_log(fid, dim, inst)
                solved = np.mean([h is not None for h in rec.hits])
                print(f"f{fid} d{dim} i{inst} {m}: solved {solved:.2f} best {rec.best:.1e} "
                      f"hit1e-8 {rec.hits[-1]} evals {rec.count} runs {len(runs)}")
                for r in runs:
                    print(f"   pop {r[0]:4d} s0 {r[1]:.3g} ev {r[2]:6d} gen {r[4]:5d} best {r[3]:.2e}"
                          + (f" fs {r[5]:.1e}" if m == "ours" else ""))
            sys.stdout.flush()


main()
