"""Session 13: the screened kernel leaves search quality where it was, at a size where it
runs (D >= 64). Before (commit 52970fa, via PYTHONPATH) and after, the same seeds.

Usage: PYTHONPATH=<src> python results/s13/quality_check.py TAG  (prints one row per run)
"""

from __future__ import annotations

import math
import sys

import torch

from ednag_opt import EvolutionaryDDIM

torch.set_num_threads(1)


def rastrigin(x: torch.Tensor) -> torch.Tensor:
    return 10 * x.shape[1] + (x * x - 10 * torch.cos(2 * math.pi * x)).sum(dim=1)


def ellipsoid(x: torch.Tensor) -> torch.Tensor:
    w = 10.0 ** (6.0 * torch.arange(x.shape[1], dtype=x.dtype) / (x.shape[1] - 1))
    return ((x - 1.0) ** 2 * w).sum(dim=1)


def main() -> None:
    tag = sys.argv[1]
    for name, fun in (("rastrigin", rastrigin), ("ellipsoid", ellipsoid)):
        for d, n in ((1000, 256), (200, 512)):  # N² D = 65M and 52M: screened
            for seed in range(10):
                es = EvolutionaryDDIM(shape=(d,), popsize=n, num_steps=40, seed=seed,
                                      bounds=(-5, 5))  # fmt: skip
                _, best = es.run(fun)
                print(f"{tag}\t{name}\t{d}\t{n}\t{seed}\t{best:.6g}", flush=True)


if __name__ == "__main__":
    main()
