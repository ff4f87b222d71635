"""Decode throughput of every search space, and NAS-Bench-101 validity without repair.

Usage::

    python benchmarks/bench_decode.py [--batch 100000] [--repeats 3] [--seed 0]

For each space, decodes a batch of i.i.d. N(0, 1) tensors of shape (batch, D1, D2)
and prints architectures per second (best of ``repeats`` runs; tables warmed first),
then the fraction of N(0, 1) tensors whose NAS-Bench-101 argmax cell is valid as is.
"""

from __future__ import annotations

import argparse
import platform
import time

import numpy as np
import torch

from ednag_opt.spaces import get_space, list_spaces
from ednag_opt.spaces.nb101_graph import MAX_EDGES, pruned_edge_count, reach


def throughput(name: str, batch: int, repeats: int, seed: int) -> tuple[tuple[int, int], float]:
    space = get_space(name)
    x = torch.randn(batch, *space.shape, generator=torch.Generator().manual_seed(seed))
    space.decode(x[:100])  # build lookup tables once
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        archs = space.decode(x)
        best = min(best, time.perf_counter() - start)
    assert len(archs) == batch
    return space.shape, batch / best


def nb101_validity(batch: int, seed: int) -> dict[str, float]:
    space = get_space("nas-bench-101")
    x = torch.randn(batch, *space.shape, generator=torch.Generator().manual_seed(seed))
    idx = x.masked_fill(~space.mask, -float("inf")).argmax(-1).numpy()
    adj = space._adjacency(idx)
    fwd, bwd = reach(adj)
    path = fwd[:, -1]
    pruned = pruned_edge_count(adj, fwd, bwd)
    raw = adj.sum(axis=(1, 2))
    return {
        "valid without repair (path, <= 9 edges after pruning)": float(
            np.mean(path & (pruned <= MAX_EDGES))
        ),
        "repair: no input-output path": float(np.mean(~path)),
        "repair: path but > 9 edges after pruning": float(np.mean(path & (pruned > MAX_EDGES))),
        "stricter: path and <= 9 edges before pruning": float(np.mean(path & (raw <= MAX_EDGES))),
        "check: repair_needed() mean": float(space.repair_needed(x).float().mean()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--batch", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    print(
        f"# decode throughput, batch {args.batch:,}, best of {args.repeats}; "
        f"python {platform.python_version()}, torch {torch.__version__}, "
        f"{torch.get_num_threads()} torch threads, {platform.processor() or platform.machine()}"
    )
    print("| space | shape (D1, D2) | architectures / s |")
    print("|---|---|---:|")
    for name in list_spaces():
        shape, rate = throughput(name, args.batch, args.repeats, args.seed)
        print(f"| {name} | {shape} | {rate:,.0f} |")
    print(f"\n# NAS-Bench-101, {args.batch:,} N(0, 1) tensors")
    for label, value in nb101_validity(args.batch, args.seed).items():
        print(f"- {label}: {value:.4f}")


if __name__ == "__main__":
    main()
