#!/bin/bash
# issue 18, session 16: the reported seeds 0-19, every row, into results/s16/search (--out)
. /work/main/.venv/bin/activate
export OMP_NUM_THREADS=1
cd /work/main
python benchmarks/bench_searchers.py --bench transnas --seeds 0-19 --workers 1 --out results/s16/search \
  --methods "ednag default,ednag + renoise (option),ednag repair-only (no diffusion),REA,local search,random,TPE"
