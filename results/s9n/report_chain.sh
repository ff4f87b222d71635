#!/bin/bash
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
M="ednag default,ednag repair-only (no diffusion),REA,local search,random,TPE"
cp results/search/nb201-noisy.json results/s9n/nb201-noisy.before.json
nice -n 10 python benchmarks/bench_searchers.py --bench nb201-noisy --seeds 0-19 --workers 1 --methods "$M"
nice -n 10 python benchmarks/bench_searchers.py --show results/search/nb201-noisy.json > results/s9n/report_show.txt
nice -n 10 python benchmarks/bench_searchers.py --bench nb201-noisy --seeds 20-39 --workers 1 --out results/s9n/heldout --methods "$M"
nice -n 10 python benchmarks/bench_searchers.py --show results/s9n/heldout/nb201-noisy.json > results/s9n/heldout_show.txt
echo DONE
