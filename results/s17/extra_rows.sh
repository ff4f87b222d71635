#!/bin/bash
# Session 17: the rows of the generated tables that results/s16/search lacks, on the reported
# seeds, so that docs/results_search.md's report sections are rebuilt for the session-16 default.
cd /work/main
export OMP_NUM_THREADS=1
.venv/bin/python benchmarks/bench_searchers.py --bench nb201,transnas,nb201-noisy --seeds 0-19 --workers 1 \
  --out results/s17/search \
  --methods "ednag paper,ednag random start (session-7 default),ednag unguided (former default),ednag unguided repair-only,ednag default + distinct networks,REA + distinct networks,local search + distinct networks,random + distinct networks,TPE + distinct networks"
