#!/bin/bash
# Session 17: MobileNetV3's cells of issue #18 on the kept-aside seeds 20-39 (default and the four baselines).
cd /work/main
export OMP_NUM_THREADS=1
.venv/bin/python benchmarks/bench_searchers.py --bench ofa --seeds 20-39 --workers 2 \
  --out results/s17/heldout_ofa --methods "ednag default,REA,local search,random,TPE"
