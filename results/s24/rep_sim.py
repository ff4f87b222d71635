"""Scratch (session 24, #16, tuning seeds only): in the cheap-cost + twins mode, query each
network through its cheapest twin (by the lookup cost) instead of its pruned form.

Variants: base (cheap=[1], twins=0.5), rep (networks queried as their cheapest twin),
repg (the same, and the guide reads the cheapest twin's cost for a candidate).

Usage: python results/s24/rep_sim.py OUT.jsonl SEEDS VARIANTS [DATASETS] [DEVICES] [TWINS]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import numpy as np  # noqa: E402
import torch  # noqa: E402

import bench_multiobjective as bm  # noqa: E402
from ednag_opt import search  # noqa: E402
from ednag_opt.search import guided_mo  # noqa: E402

DEV15 = ["edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency", "fpga_latency"]
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
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in datasets:
            for dev in devices:
                cell = bm.Cell(ds, dev)
                archs = list(cell.space.enumerate())
                V = np.column_stack([cell.acc(archs).numpy(), cell.cost(archs).numpy()])
                rep = rep_map(cell, archs, V)
                for s in seeds:
                    for var in variants:
                        t0 = time.perf_counter()
                        if var.startswith("rep"):
                            cell.space.canonicalize = rep
                        if var == "repg":
                            guided_mo.LookupGuide.predict = lambda self, a, validate=True: \
                                ORIG_PREDICT(self, [rep(x) for x in a], validate)
                        try:
                            res = search("ednag", cell.space, [cell.acc, cell.cost],
                                         max_queries=1000, seed=s, cheap=[1], twins=twins)
                        finally:
                            cell.space.__dict__.pop("canonicalize", None)
                            guided_mo.LookupGuide.predict = ORIG_PREDICT
                        row = {"dataset": ds, "device": dev, "seed": s, "variant": var,
                               "time": time.perf_counter() - t0}
                        for b in (100, 300, 1000):
                            row.update({f"{k}@{b}": v for k, v in cell.score(res, b).items()})
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()


if __name__ == "__main__":
    main()
