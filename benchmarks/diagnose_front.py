"""Why the multi-objective EDNAG misses part of the true front (issue 16, tuning seeds).

For NAS-Bench-201 accuracy x one HW-NAS-Bench cost: run the default searcher for 1,000
queries, stop the clock at ``--at`` queries and describe the true-front members not yet
queried:

* their distance (edges that differ) to the nearest non-dominated cell found so far;
* how many of them a ridge model fitted on the queries so far puts in its top 100 / 200 /
  400 of all unqueried cells (ranked by the guide's epsilon value), for the additive model
  (``onehot``) and the second-order one (``pairs``), with the models' Spearman correlation
  on the unqueried cells;
* how many the run itself found in its remaining queries.

Usage::

    python benchmarks/diagnose_front.py --seeds 100-101 --at 600
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from scipy.stats import spearmanr  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.search.guided_mo import ParetoGuide, epsilon_value  # noqa: E402
from ednag_opt.search.multiobjective import MultiFitness  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

CELLS = [("cifar100", "raspi4_latency"), ("ImageNet16-120", "raspi4_latency"),
         ("cifar10", "fpga_energy")]  # fmt: skip


def diagnose(cell: bm.Cell, seed: int, at: int) -> str:
    """One line per (cell, seed): see the module docstring."""
    archs = cell.space.enumerate()
    X = cell.space.encode(archs).argmax(dim=2).numpy()
    pos = {str(a): i for i, a in enumerate(archs)}
    V = np.column_stack([cell.acc(archs).numpy(), -cell.cost(archs).numpy()])
    front = np.array(sorted(pos[k] for k in cell.front_keys))
    res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=seed)
    order = np.array([pos[str(a)] for a, _ in res.queries[:1000]])
    q = order[:at]
    found = q[pareto_mask(V[q])]
    missing = np.setdiff1d(front, q)
    dist = [int((X[found] != X[i]).sum(axis=1).min()) for i in missing]
    later = len(np.intersect1d(missing, order[at:]))
    unq = np.setdiff1d(np.arange(len(archs)), q)
    multi = MultiFitness([cell.acc, cell.cost])
    parts = []
    for features in ("onehot", "pairs"):
        guide = ParetoGuide(cell.space, multi, features=features).observe([archs[i] for i in q])
        P = np.column_stack([g.predict([archs[i] for i in unq]) for g in guide.models])
        rho = [spearmanr(P[:, m], V[unq, m])[0] for m in range(2)]
        top = unq[np.argsort(-epsilon_value(P, guide.front), kind="stable")]
        hits = [len(np.intersect1d(missing, top[:k])) for k in (100, 200, 400)]
        parts.append(f"{features}: rho {rho[0]:.2f}/{rho[1]:.2f}, top 100/200/400 {hits}")
    hist = np.bincount(dist, minlength=5)[:5].tolist() if dist else []
    return (f"{cell.dataset} x {cell.device}, seed {seed}: front {len(front)}, missing at {at}: "
            f"{len(missing)}, distance 0-4: {hist}, found by the run later: {later}; "
            + "; ".join(parts))  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="100-101", help="tuning seeds only (100-199)")
    ap.add_argument("--at", type=int, default=600, help="queries at which to look")
    args: Any = ap.parse_args(argv)
    torch.set_num_threads(1)
    seeds = bm._ints(args.seeds)
    if min(seeds) < 100 or max(seeds) > 199:
        raise SystemExit("diagnose on seeds 100-199 only (0-19 are reported)")
    if not 20 <= args.at < 1000:
        raise SystemExit(f"--at must be in [20, 1000), got {args.at}")
    for d, dev in CELLS:
        cell = bm.Cell(d, dev)
        for s in seeds:
            print(diagnose(cell, s, args.at), flush=True)


if __name__ == "__main__":
    main()
