"""Scratch (session 24, #16, tuning seeds only): search("ednag") on NB201 x HW-NAS-Bench
cells with named option sets, scored at 100 / 300 / 1,000 queries.

Usage: python results/s24/opts_sim.py OUT.jsonl SEEDS '{"name": {options}}' DATASETS DEVICES
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import torch  # noqa: E402

import bench_multiobjective as bm  # noqa: E402
from ednag_opt import search  # noqa: E402


def main() -> None:
    out, seeds, variants = sys.argv[1], bm._ints(sys.argv[2]), json.loads(sys.argv[3])
    datasets, devices = sys.argv[4].split(","), sys.argv[5].split(",")
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in datasets:
            for dev in devices:
                cell = bm.Cell(ds, dev)
                for s in seeds:
                    for var, opts in variants.items():
                        t0 = time.perf_counter()
                        res = search("ednag", cell.space, [cell.acc, cell.cost],
                                     max_queries=1000, seed=s, **opts)
                        row = {"dataset": ds, "device": dev, "seed": s, "variant": var,
                               "time": time.perf_counter() - t0}
                        for b in (100, 300, 1000):
                            row.update({f"{k}@{b}": v for k, v in cell.score(res, b).items()})
                        fh.write(json.dumps(row) + "\n")
                        fh.flush()


if __name__ == "__main__":
    main()
