"""Scratch (s26): the GP sweep's expected yield per batch (sum of P(beat the bar) over
the 20 networks it picks) against what the batch found (true-front networks).
Usage: yield.py DS DEV SEEDS"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from scipy.stats import norm  # noqa: E402

from ednag_opt.search import search  # noqa: E402

S = importlib.import_module("ednag_opt.search.sweep")
torch.set_num_threads(1)
ORIG = S.expected_improvement
LOG = []


def ei(mu, sd, bar):
    v = ORIG(mu, sd, bar)
    top = np.argsort(-v, kind="stable")[:20]
    p = norm.sf((bar[top] - mu[top]) / np.maximum(sd[top], 1e-12))
    LOG.append((float(p.sum()), int(np.isneginf(bar).sum())))
    return v


S.expected_improvement = ei
c = bm.Cell(sys.argv[1], sys.argv[2])
for s in bm._ints(sys.argv[3]):
    LOG.clear()
    res = search("ednag", c.space, [c.acc, c.cost], max_queries=1000, seed=s, cheap=[1], twins="auto")
    nets = [c.space.prune(a).key in c.front_nets for a, _ in res.queries[:1000]]
    start = 1000 - 500 - 200 if len(LOG) == 10 else 1000 - 200 - 200
    found = [sum(nets[start + 20 * i: start + 20 * (i + 1)]) for i in range(len(LOG))]
    print(s, "exp", [round(e, 1) for e, _ in LOG], "found", found, "twin-phase front cells",
          sum(str(a) in c.front_keys for a, _ in res.queries[500:1000]), flush=True)
