"""Scratch (session 24, #16, tuning seeds only): in the cheap-cost + twins mode, query each
network through its cheapest twin (by the lookup cost) instead of its pruned form.

Variants: base (cheap=[1], twins=0.5), rep (networks queried as their cheapest twin),
repg (the same, and the guide reads the cheapest twin's cost for a candidate).

Usage: python results/s24/rep_sim.py OUT.jsonl SEEDS VARIANTS [DATASETS] [DEVICES] [TWINS]
"""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "results" / "s24"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from grid import DEV15, run_grid  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.search import guided_mo  # noqa: E402

ORIG_PREDICT = guided_mo.LookupGuide.predict


def rep_map(cell, archs, V):
    pos = {str(a): i for i, a in enumerate(archs)}
    net = [cell.space.prune(a).key for a in archs]
    best: dict = {}
    for i, k in enumerate(net):
        c = V[i, 1]
        if not np.isfinite(c):
            continue
        if k not in best or c < V[best[k], 1]:
            best[k] = i
    canon = {k: pos[str(cell.space.prune(archs[i]))] for i, k in enumerate(net)}
    return lambda a: archs[best.get(net[pos[str(a)]], canon[net[pos[str(a)]]])]


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), sys.argv[3].split(",")
    datasets = sys.argv[4].split(",") if len(sys.argv) > 4 and sys.argv[4] else list(bm.DATASETS)
    devices = sys.argv[5].split(",") if len(sys.argv) > 5 and sys.argv[5] else DEV15
    twins = float(sys.argv[6]) if len(sys.argv) > 6 else 0.5

    def prepare(cell):
        archs = list(cell.space.enumerate())
        V = np.column_stack([cell.acc(archs).numpy(), cell.cost(archs).numpy()])
        return rep_map(cell, archs, V)

    def run(cell, rep, s, var):
        if var.startswith("rep"):
            cell.space.canonicalize = rep
        if var == "repg":
            guided_mo.LookupGuide.predict = lambda self, a, validate=True: \
                ORIG_PREDICT(self, [rep(x) for x in a], validate)
        try:
            return search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=s,
                          cheap=[1], twins=twins)
        finally:
            cell.space.__dict__.pop("canonicalize", None)
            guided_mo.LookupGuide.predict = ORIG_PREDICT

    run_grid(out, datasets, devices, seeds, variants, run, prepare)


if __name__ == "__main__":
    main()
