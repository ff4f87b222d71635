"""Scratch (s25, tuning seeds): OFA MobileNetV3 acc x Note10 latency, cheap=[1] or not.
Usage: python results/s25/ofa_try.py OUT SEEDS BUDGET VARIANTS_JSON"""
import json
import sys
import time

import torch

from ednag_opt import get_space
from ednag_opt.fitness.predictors import OFAAccuracyPredictor, OFALatency
from ednag_opt.fitness.predictors.ofa_latency import NOTE10_RESOLUTIONS
from ednag_opt.search import search

torch.set_num_threads(1)
out, seeds, budget, variants = sys.argv[1], sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4])
a, b = map(int, seeds.split("-"))
space = get_space("mobilenetv3", resolutions=NOTE10_RESOLUTIONS)
acc, lat = OFAAccuracyPredictor(), OFALatency()
with open(out, "a") as fh:
    for s in range(a, b + 1):
        for name, opts in variants.items():
            t0 = time.perf_counter()
            res = search("ednag", space, [acc, lat], max_queries=budget, seed=s, **opts)
            fronts = {n: [(str(x), v) for x, v in res.pareto_front(budget=n)]
                      for n in (budget // 3, budget)}
            fh.write(json.dumps({"variant": name, "seed": s, "time": time.perf_counter() - t0,
                                 "fronts": fronts}) + "\n")
            fh.flush()
            print(name, s, round(time.perf_counter() - t0, 1), flush=True)
