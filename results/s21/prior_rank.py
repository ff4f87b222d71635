"""Scratch (session 21): rank of each held-out TransNAS optimum under the tuning prior (seed
100) before any query, per head and for the uniform mixture, against the search's count."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_transfer as bt  # noqa: E402
from ednag_opt.fitness.predictors import PriorSurrogate  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

for part in ("transnas-micro", "transnas-macro"):
    space = get_space(bt.SPACES[part])
    archs = list(space.enumerate())
    for task in bt.tasks_of(part):
        fit = bt.fitness(part, task)
        y = fit(archs).numpy()
        opt = int(np.nanargmax(y))
        p = PriorSurrogate.load(bt.OUT / f"prior_{part}_{task}_transfer_100.pt", space=space)
        z = p.predict_heads(archs).mean(0).double().numpy()  # (K, N)
        mix = z.mean(0)
        rank = int((mix >= mix[opt]).sum())
        heads = [int((h >= h[opt]).sum()) for h in z]
        print(f"{part[9:]:5s} {task:16s} prior rank {rank:5d}  heads {heads}")
