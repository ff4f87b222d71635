#!/bin/bash
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
M="ednag default,ednag repair-only (no diffusion),REA,local search,random,TPE"
nice -n 10 python benchmarks/bench_searchers.py --bench nb201-noisy --seeds 100-139 --workers 1 --out results/s9n/tuning --methods "$M"
nice -n 10 python benchmarks/bench_searchers.py --show results/s9n/tuning/nb201-noisy.json > results/s9n/tuning_show.txt
nice -n 10 python results/s9n/noiseless.py 100-109 > results/s9n/noiseless3.log 2>&1
echo DONE
