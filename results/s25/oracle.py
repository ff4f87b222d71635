"""Scratch (s25): a bound for the cost-lookup setting. An oracle that knows every
network's mean accuracy over its twins (from the whole table), every cell's exact cost,
and the true best accuracy among strictly cheaper cells, but not a cell's own training
noise, queries the 1,000 cells likeliest to be on the front; the share of the true
front's cells among them. The bar is the best expected accuracy among strictly cheaper
cells (default), or the best realised one (``realised``: leaks the front, an upper bound
only). Usage: python results/s25/oracle.py [BUDGET] [realised|expected] [DATASETS] [DEVICES]
(s26: the last two, comma lists, restrict the cells)"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
from scipy.stats import norm  # noqa: E402

B = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
REALISED = len(sys.argv) > 2 and sys.argv[2] == "realised"
devs = ["edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency", "edgetpu_latency",
        "fpga_latency", "fpga_energy", "eyeriss_latency", "eyeriss_energy"]
out = []
DS = sys.argv[3].split(",") if len(sys.argv) > 3 else ["cifar10", "cifar100", "ImageNet16-120"]
devs = sys.argv[4].split(",") if len(sys.argv) > 4 else devs
for ds in DS:
    for dev in devs:
        c = bm.Cell(ds, dev)
        A = c.space.enumerate()
        acc, cost = c.acc(A).numpy().astype(float), c.cost(A).numpy().astype(float)
        net = np.unique([c.space.prune(a).key for a in A], return_inverse=True)[1]
        ok = np.isfinite(acc) & np.isfinite(cost)
        cnt = np.bincount(net[ok], minlength=net.max() + 1)
        mean = np.bincount(net[ok], acc[ok], minlength=net.max() + 1) / np.maximum(cnt, 1)
        dev_ = (acc - mean[net])[ok]
        spread = np.sqrt((dev_ ** 2).sum() / max(ok.sum() - (cnt > 0).sum(), 1))
        o = np.argsort(np.where(ok, cost, np.inf), kind="stable")
        seen = acc if REALISED else mean[net]  # the bar: realised or expected accuracies
        best = np.maximum.accumulate(np.where(ok, seen, -np.inf)[o])
        k = np.searchsorted(cost[o], cost, side="left")  # strictly cheaper cells
        bar = np.where(k > 0, best[np.maximum(k - 1, 0)], -np.inf)
        p = np.where(ok, norm.sf((bar - mean[net]) / spread), -1)
        top = np.argsort(-p, kind="stable")[:B]
        keys = {str(A[i]) for i in top}
        r = len(keys & c.front_keys) / len(c.front_keys)
        out.append(r)
        print(ds, dev, f"{r:.3f}", flush=True)
print("mean", np.mean(out), "cells >= 0.9:", sum(x >= 0.9 for x in out))
