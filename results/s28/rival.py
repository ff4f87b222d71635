"""Scratch (s28, tuning seeds): after the sweep's share, each batch of 10 of the twin phase
goes to whichever of the twin ranking and the sweep expects more new front cells (the sum
of the batch's chances of beating the found front at its cost: twins by
``_exact_staircase``, networks by the sweep's Gaussian process). "base": the package.
Usage: python results/s28/rival.py OUT SEEDS DATASETS DEVICES VARIANTS"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s24"))
from grid import run_grid  # noqa: E402  (puts benchmarks/ on the path)

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402

from ednag_opt.search import search  # noqa: E402

M = importlib.import_module("ednag_opt.search.ednag_mo")
T = importlib.import_module("ednag_opt.search.twins")
ORIG_SWEEP, ORIG_TWINS = M.sweep_phase, M._twin_phase
STATE = {}


def sweep_phase(tracker, multi, sweeper, gain, stop=0.5, batch=20):
    STATE["sweeper"], STATE["gain"] = sweeper, gain
    return ORIG_SWEEP(tracker, multi, sweeper, gain=gain, stop=stop, batch=batch)


def chances(index, pos, gain, cost, exact, seen):
    """``T._exact_staircase``'s ordering with each twin's chance."""
    cand, mu, sd, n = T._twin_accuracy(index, pos, gain, seen)
    keep = np.isfinite(exact[cand])
    cand, mu, sd, n = cand[keep], mu[keep], sd[keep], n[keep]
    p = T._chance(T.best_at_or_below(cost, gain, exact[cand]), mu, sd * np.sqrt(1.0 + 1.0 / n))
    o = np.lexsort((exact[cand], -p))
    return cand[o], p[o]


def twin_phase(tracker, multi, index, costs=None, batch=10):
    sweeper, gi = STATE.get("sweeper"), STATE.get("gain")
    if sweeper is None:
        return ORIG_TWINS(tracker, multi, index, costs, batch)
    ci = 1 - gi
    while not tracker.done:
        archs = [a for a, _ in tracker.queries]
        values = multi.values(archs).numpy()
        keys = [tracker.key(a) for a in archs]
        k = int(min(batch, tracker.remaining))
        pos, V, seen = T._usable(index, keys, values)
        order, p = chances(index, pos, V[:, gi], V[:, ci], costs, seen)
        tw = float(p[:k].sum())
        g = values[:, gi].astype(float)
        nxt, sw = sweeper.batch([tracker.cache.key(a) for a in archs], g, k)
        STATE.setdefault("log", []).append((tw, sw))
        if nxt and sw > tw:
            tracker.query(nxt, origin="sweep", info={"phase": "sweep"})
        elif len(order):
            tracker.query([index.archs[i] for i in order[:k]], origin="twin",
                          info={"phase": "twins"})
        elif nxt:
            tracker.query(nxt, origin="sweep", info={"phase": "sweep"})
        else:
            return


def run(cell, ctx, seed, var):
    STATE.clear()
    rival = var == "rival"
    M.sweep_phase = sweep_phase if rival else ORIG_SWEEP
    M._twin_phase = twin_phase if rival else ORIG_TWINS
    res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed,
                 cheap=[1], twins="auto")
    if var == "rival":
        log = STATE.get("log", [])
        print(cell.dataset if hasattr(cell, "dataset") else "", seed, "sweep batches",
              sum(s > t for t, s in log), "of", len(log), flush=True)
    return res


run_grid(sys.argv[1], sys.argv[3].split(","), sys.argv[4].split(","), bm._ints(sys.argv[2]),
         sys.argv[5].split(","), run)
