"""Scratch (session 21, #16, tuning seeds only): one query per network first
(``distinct="networks"``) for B - X queries, then X queries on the twins of the
non-dominated networks (``search.twins.twin_batch``, batches of 10), simulated on the table.

Usage: python results/s21/hybrid_sim.py OUT.jsonl SEEDS X[,X] [DATASETS] [DEVICES]
Rows: dataset, device, seed, variant, recovered / networks / hv at 1000.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import numpy as np  # noqa: E402
import torch  # noqa: E402

import bench_multiobjective as bm  # noqa: E402
from ednag_opt import search  # noqa: E402
from ednag_opt.search.twins import TwinIndex, twin_batch  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

B = 1000


class Res:
    """Enough of a SearchResult for ``Cell.score``."""

    def __init__(self, queries):
        self.queries = queries

    def pareto_front(self, budget):
        q = [(a, v) for a, v in self.queries[:budget] if np.isfinite(v).all()]
        V = np.array([v for _, v in q])
        m = pareto_mask(V * [1.0, -1.0])
        return [q[i] for i in np.flatnonzero(m)]


def main() -> None:
    out, seeds = sys.argv[1], bm._ints(sys.argv[2])
    xs = [int(x) for x in sys.argv[3].split(",")]
    datasets = sys.argv[4].split(",") if len(sys.argv) > 4 else list(bm.DATASETS)
    devices = sys.argv[5].split(",") if len(sys.argv) > 5 else list(bm.DEVICES)
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in datasets:
            for dev in devices:
                cell = bm.Cell(ds, dev)
                index = TwinIndex(cell.space, str)
                archs = index.archs
                V = np.column_stack([cell.acc(archs).numpy(), cell.cost(archs).numpy()])
                for s in seeds:
                    for x in xs:
                        res = search("ednag", cell.space, [cell.acc, cell.cost],
                                     max_queries=B - x, seed=s, distinct="networks")
                        keys = [str(a) for a, _ in res.queries]
                        while len(keys) < B:
                            vals = V[[index.position[k] for k in keys]]
                            got = twin_batch(index, keys, vals, [True, False], min(10, B - len(keys)))
                            if not got:
                                break
                            keys += [str(a) for a in got]
                        q = [(archs[index.position[k]], V[index.position[k]]) for k in keys]
                        row = {"dataset": ds, "device": dev, "seed": s,
                               "variant": f"networks+twins{x}", **cell.score(Res(q), B)}
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()


if __name__ == "__main__":
    main()
