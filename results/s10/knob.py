"""Session 10 tuning knobs (monkeypatches of strategy.blackbox, no source change), then
bench_bbob's grid. python results/s10/knob.py KNOBS_JSON -- <bench_bbob args>
knobs: gscale (multiplier of the gauss runs' initial scale), first_small."""
import json
import sys

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402
from ednag_opt.strategy import blackbox as B  # noqa: E402

knobs = json.loads(sys.argv[1])
_g = B.gauss_run


def grun(fun, start, pop, scale, out, stop_at, target, seed):
    return _g(fun, start, pop, scale * knobs.get("gscale", 1.0), out, stop_at, target, seed)


B.gauss_run = grun
_rec = B._Regimes.record


def record(self, pop, spent):
    """knob "first_small": the first run's evaluations count for the small regime."""
    if knobs.get("first_small") and not getattr(self, "_seen", False):
        self._seen = True
        self.spent_small += spent
        self.last_large = spent
        return
    _rec(self, pop, spent)


B._Regimes.record = record
sys.argv = [sys.argv[0]] + sys.argv[3:]
bb.main()
