"""Scratch (s25): front sizes and network structure of the hard cells."""
import sys
from collections import Counter
from pathlib import Path
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm
import numpy as np
for ds in ["cifar10", "cifar100", "ImageNet16-120"]:
    for dev in ["edgegpu_latency", "raspi4_latency", "pixel3_latency", "fpga_latency"]:
        c = bm.Cell(ds, dev)
        archs = c.space.enumerate()
        nk = [c.space.prune(a).key for a in archs]
        ntw = Counter(nk)
        fr = [i for i, a in enumerate(archs) if str(a) in c.front_keys]
        sizes = Counter(ntw[nk[i]] for i in fr)
        print(ds, dev, "front", len(fr), "nets", len(c.front_nets), "nnets", len(ntw), "twin sizes", dict(sorted(sizes.items())))
