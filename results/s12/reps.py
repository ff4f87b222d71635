"""Session 12 (session 11 script, plus the session-12 files): solved fraction at 10^4 d of ours variants pooled over seeds (rep 0 = the
bench rows in results/s11/bbob.jsonl, rep r = '<name>-r<r>' rows of results/s11/tune.jsonl),
per function, with a paired Wilcoxon test against the first variant.
python results/s11/reps.py DIM INSTANCES FIDS REPS VARIANT [VARIANT ...]"""
import json
import sys

import numpy as np
from scipy.stats import wilcoxon

sys.path.insert(0, "benchmarks")
from bench_bbob import parse_ints  # noqa: E402

d, insts, fids, reps = int(sys.argv[1]), parse_ints(sys.argv[2]), parse_ints(sys.argv[3]), \
    parse_ints(sys.argv[4])
names = sys.argv[5:]
R = {}
for path in ("results/s11/bbob.jsonl", "results/s11/tune.jsonl", "results/s12/tune.jsonl",
             "results/s12/bbob.jsonl", "results/s12/held.jsonl"):
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        continue
    for r in map(json.loads, lines):
        if r["dim"] == d and r["budget"] == 10000:
            R[(r["method"], r["fid"], r["instance"])] = np.mean([h is not None for h in r["hits"]])


def key(v, rep):
    return v if rep == 0 else f"{v}-r{rep}"


base = names[0]
for v in names:
    cells, allv, pairs = [], [], []
    for f in fids:
        xs = [R.get((key(v, rep), f, i)) for rep in reps for i in insts]
        ok = [x for x in xs if x is not None]
        cells.append(f"f{f} {np.mean(ok):.3f}" if ok else f"f{f} -")
        allv += ok
        for rep in reps:
            for i in insts:
                a, b = R.get((key(base, rep), f, i)), R.get((key(v, rep), f, i))
                if a is not None and b is not None:
                    pairs.append(b - a)
    pairs = np.array(pairs)
    nz = pairs[np.abs(pairs) > 1e-9]
    p = wilcoxon(nz).pvalue if len(nz) else 1.0
    print(f"{v:14s} n={len(allv):3d} all {np.mean(allv):.3f} | " + " | ".join(cells)
          + f" | vs {base}: {pairs.mean():+.3f} ({int((pairs > 1e-9).sum())}/"
          f"{int((pairs < -1e-9).sum())}, p={p:.2g})")
