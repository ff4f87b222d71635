#!/bin/bash
# Session 17: the protocol's "more seeds where the CIs overlap" for issue #18's cells: the
# default, its ablation, the former default and the four baselines on the kept-aside seeds 20-39.
cd /work/main
export OMP_NUM_THREADS=1
.venv/bin/python benchmarks/bench_searchers.py --bench nb201,transnas,nb201-noisy --seeds 20-39 --workers 2 \
  --out results/s17/heldout \
  --methods "ednag default,ednag repair-only (no diffusion),ednag no renoise (session-15 default),REA,local search,random,TPE"
