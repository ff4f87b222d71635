"""Session 10: solved fraction at 10^4·d per function, each method, from results/s10/bbob.jsonl.
python results/s10/cells.py DIM INSTANCES FIDS METHODS"""
import json
import sys

import numpy as np

sys.path.insert(0, "benchmarks")
from bench_bbob import parse_ints  # noqa: E402

d, insts, fids = int(sys.argv[1]), parse_ints(sys.argv[2]), parse_ints(sys.argv[3])
R = [json.loads(x) for x in open("results/s10/bbob.jsonl")]
for m in sys.argv[4].split(","):
    cells, allv = [], []
    for f in fids:
        v = [np.mean([h is not None for h in r["hits"]]) for r in R if r["method"] == m
             and r["dim"] == d and r["fid"] == f and r["instance"] in insts and r["budget"] == 10000]
        allv += v
        cells.append(f"{np.mean(v):.3f}" if len(v) == len(insts) else f"({len(v)})")
    print(f"| d = {d}, {sys.argv[2]} | {m} | " + " | ".join(cells) + f" | {np.mean(allv):.3f} |")
