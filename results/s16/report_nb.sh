#!/bin/bash
# issue 18, session 16: NB201 and its single-seed variant, reported seeds 0-19, every row
. /work/main/.venv/bin/activate
export OMP_NUM_THREADS=1
cd /work/main
M="ednag default,ednag + renoise (option),ednag repair-only (no diffusion),REA,local search,random,TPE"
python benchmarks/bench_searchers.py --bench nb201 --seeds 0-19 --workers 1 --out results/s16/search --methods "$M"
python benchmarks/bench_searchers.py --bench nb201-noisy --seeds 0-19 --workers 1 --out results/s16/search --methods "$M"
