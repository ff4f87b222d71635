"""Scratch: print the goal-3 summary table for a seed range without touching the doc."""
import sys

sys.path.insert(0, "benchmarks")
import bench_surrogate_spaces as b  # noqa: E402
from bench_searchers import parse_seeds  # noqa: E402

part, seeds = sys.argv[1], set(parse_seeds(sys.argv[2]))
recs = b.complete([r for r in b.load(b.OUT / f"{part}.jsonl") if r["seed"] in seeds])
tab, summ = b.tables(part, recs)
print(summ)
if len(sys.argv) > 3:
    print(tab)
