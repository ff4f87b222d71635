"""Session 11 tuning knobs: a copy of blackbox.minimize's loop with knobs (no source change),
then bench_bbob's grid.  python results/s11/knob.py KNOBS_JSON -- <bench_bbob args>
knobs: first_gauss (the first run is a Gaussian run too), gscale (multiplier of the gauss
runs' initial scale), small_ratio (BIPOP: small runs while spent_small < ratio * spent_large),
first_cap (the first diffusion run's evaluation cap, in units of budget), rep."""
import json
import math
import sys

import numpy as np

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402
from ednag_opt.strategy import blackbox as B  # noqa: E402
from ednag_opt.strategy.evolutionary_ddim import EvolutionaryDDIM  # noqa: E402

K = json.loads(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "--" else {}


def minimize(fun, dim, budget, *, seed=0, bounds=None, x0=None, init_scale=None, config=None,
             restarts="bipop", stall="local", survival="elitist", large="ddim",
             target=-math.inf):
    cfg = config or B.blackbox_config(dim)
    rng = np.random.default_rng(seed)
    regime = B._Regimes(cfg.popsize, cfg.init_scale, restarts == "bipop", seed)
    ratio = K.get("small_ratio", 1.0)
    out = B.MinimizeResult(None, math.inf, 0, 0)
    run, pop, scale, limit = 0, cfg.popsize, cfg.init_scale, budget
    if "first_cap" in K:
        limit = int(K["first_cap"] * budget)
    while out.evaluations + 2 * pop <= budget and out.fun > target:
        run_cfg = cfg.replace(popsize=pop, init_scale=scale,
                              num_steps=max(2, (budget - out.evaluations) // pop))
        start = B._start(x0 if run == 0 else None, dim, bounds, rng)
        stop_at = min(budget, out.evaluations + limit)
        large_run = not regime.small_next
        doubled = large_run and (run > 0 or K.get("first_gauss"))
        if doubled and large == "gauss":
            spent = B.gauss_run(fun, start, pop, scale * K.get("gscale", 1.0), out, stop_at,
                                target, 1000 * seed + run)
        else:
            es = EvolutionaryDDIM((dim,), config=run_cfg, seed=1000 * seed + run, bounds=bounds)
            wait = B._patience(dim, pop, stall == "regime" and large_run)
            spent = B._run(es, fun, start, out, stop_at, target, wait, None)
        regime.record(pop, spent)
        run += 1
        if not restarts:
            break
        pop, scale, limit = regime.next()
    out.restarts = run - 1
    return out


_next = B._Regimes.next


def nxt(self):
    ratio = K.get("small_ratio", 1.0)
    if ratio == 1.0:
        return _next(self)
    self.small_next = self.bipop and self.spent_small < ratio * self.spent_large
    if not self.small_next:
        self.large *= 2
        return self.large, self.s0, 1 << 62
    u = float(self.rng.uniform())
    pop = max(2, int(self.p0 * (0.5 * self.large / self.p0) ** (u * u)))
    return pop, self.s0 * 10.0 ** (-2.0 * u), max(2 * pop, self.last_large // 2)


B._Regimes.next = nxt
bb.minimize = minimize
REP = int(K.get("rep", 0))  # extra seeds on the tuning instances: seed = instance + 7919 rep
if REP:
    _ours = bb.run_ours
    bb.RUNNERS["ours"] = lambda rec, seed: _ours(rec, seed + 7919 * REP)
if __name__ == "__main__":
    sys.argv = [sys.argv[0]] + sys.argv[3:]
    bb.main()
