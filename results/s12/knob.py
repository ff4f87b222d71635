"""Session 12 tuning knobs on minimize (monkeypatched, no source change), then bench_bbob's
grid.  python results/s12/knob.py KNOBS_JSON -- <bench_bbob args>
knobs: nbipop (the regime that found the best-so-far point gets `nbipop` times the other's
budget: BIPOP's short runs while spent_small < r * spent_large, r = nbipop if the best came
from a short run, 1 / nbipop if from a large one), gscale (multiplier of the Gaussian runs'
initial scale), rep (seed = instance + 7919 rep)."""
import json
import sys

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402
from ednag_opt.strategy import blackbox as B  # noqa: E402

K = json.loads(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1] != "--" else {}
CUR = []
_init, _next, _g, _r = B._Regimes.__init__, B._Regimes.next, B.gauss_run, B._run


def init(self, *a, **k):
    _init(self, *a, **k)
    self.best_from = "large"
    CUR[:] = [self]


def tracked(fn):
    def wrap(*a, **k):
        out = a[4] if fn is _g else a[3]
        before = out.fun
        s = fn(*a, **k)
        if out.fun < before and CUR:
            CUR[0].best_from = "small" if CUR[0].small_next else "large"
        return s
    return wrap


def nxt(self):
    r = K.get("nbipop")
    if not r:
        return _next(self)
    ratio = r if self.best_from == "small" else 1.0 / r
    self.small_next = self.bipop and self.spent_small < ratio * self.spent_large
    if not self.small_next:
        self.large *= 2
        return self.large, self.s0, 1 << 62
    u = float(self.rng.uniform())
    pop = max(2, int(self.p0 * (0.5 * self.large / self.p0) ** (u * u)))
    return pop, self.s0 * 10.0 ** (-2.0 * u), max(2 * pop, self.last_large // 2)


B._Regimes.__init__, B._Regimes.next = init, nxt
B.gauss_run, B._run = tracked(_g), tracked(_r)
if "gscale" in K:
    _gt = B.gauss_run
    B.gauss_run = lambda fun, start, pop, scale, *a: _gt(fun, start, pop, scale * K["gscale"], *a)
REP = int(K.get("rep", 0))
if REP:
    _ours = bb.run_ours
    bb.RUNNERS["ours"] = lambda rec, seed: _ours(rec, seed + 7919 * REP)
if __name__ == "__main__":
    sys.argv = [sys.argv[0]] + sys.argv[3:]
    bb.main()
