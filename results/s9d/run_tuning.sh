#!/bin/bash
# Session 9 (#18): the default vs one query per network on tuning seeds 100-159
# (NB201, NB201 single-seed, TransNAS micro), raw runs in results/s9d/tuning/.
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1
nice -n 10 python benchmarks/bench_searchers.py --workers 1 --out results/s9d/tuning \
   --bench nb201,nb201-noisy,transnas --problems micro,cifar,Image --seeds 100-159 \
   --methods "ednag default,ednag default + distinct networks"
