"""Scratch (session 24, #16, tuning seeds): where along the cost axis a search's front
falls short of the true one at a budget: the hypervolume gap split into cost deciles.

Usage: python results/s24/hvgap.py DATASET DEVICE SEEDS BUDGET VARIANTS_JSON
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from ednag_opt import search  # noqa: E402


def staircase(acc: np.ndarray, cost: np.ndarray, grid: np.ndarray, lo: float) -> np.ndarray:
    """Best accuracy among points of cost <= each grid value (lo where none)."""
    o = np.argsort(cost)
    best = np.maximum.accumulate(acc[o])
    k = np.searchsorted(cost[o], grid, side="right")
    return np.where(k > 0, best[np.maximum(k - 1, 0)], lo)


TOTAL = 1000


def main() -> None:
    ds, dev, seeds, budget = sys.argv[1], sys.argv[2], bm._ints(sys.argv[3]), int(sys.argv[4])
    variants = json.loads(sys.argv[5])
    torch.set_num_threads(1)
    cell = bm.Cell(ds, dev)
    archs = list(cell.space.enumerate())
    V = np.column_stack([cell.acc(archs).numpy(), cell.cost(archs).numpy()])
    ok = np.isfinite(V).all(axis=1)
    grid = np.linspace(cell.lo[1], cell.hi[1], 2001)
    true = staircase(V[ok, 0], V[ok, 1], grid, cell.lo[0])
    dec = np.quantile(V[ok, 1], np.linspace(0, 1, 11))
    bins = np.clip(np.searchsorted(dec, grid, side="right") - 1, 0, 9)
    for name, opts in variants.items():
        gaps = []
        for s in seeds:
            res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=TOTAL, seed=s,
                         **opts)
            Q = np.array([v for _, v in res.pareto_front(budget=budget)], float)
            Q = Q[np.isfinite(Q).all(axis=1)]
            got = staircase(Q[:, 0], Q[:, 1], grid, cell.lo[0])
            g = (true - got) / (cell.hi[0] - cell.lo[0])
            gaps.append(np.bincount(bins, g, minlength=10) / len(grid))
        print(f"{name:28s}", " ".join(f"{x * 1e4:6.1f}" for x in np.mean(gaps, axis=0)),
              f"| total {np.mean(gaps, axis=0).sum() * 1e4:.1f}")


if __name__ == "__main__":
    main()
