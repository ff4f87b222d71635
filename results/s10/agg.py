"""Scratch: aggregates quoted in the goal-3 prose, for a seed range."""
import json
import sys

import numpy as np

sys.path.insert(0, "benchmarks")
import bench_surrogate_spaces as b  # noqa: E402
from bench_searchers import parse_seeds  # noqa: E402

part, seeds = sys.argv[1], set(parse_seeds(sys.argv[2]))
recs = b.complete([r for r in b.load(b.OUT / f"{part}.jsonl") if r["seed"] in seeds])
print("seeds", sorted({r["seed"] for r in recs}), "runs", len(recs))
for m in b.METHODS:
    rs = [r for r in recs if r["method"] == m]
    print(m, "mean wall", round(np.mean([r["wall"] for r in rs]), 1),
          "optimum reached", sum(r["q_opt"] is not None for r in rs), "of", len(rs))
loads = [r["load"] for r in recs if r["seed"] in seeds]
print("load range", round(min(loads), 1), round(max(loads), 1), "median", round(float(np.median(loads)), 1))
