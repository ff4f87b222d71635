#!/bin/bash
# Session 12: the paper's preset (`paper`, popsize 100, box [-5, 5]^d, restarted) at 10^4 d
# next to the others, f10-f14 and f20-f24, instances 1-5, d = 2, 5, 10, 20.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for d in 2 5 10 20; do
  nice -n 10 python benchmarks/bench_bbob.py --methods paper --functions 10-14,20-24 --dims $d \
    --instances 1-5 --budget 10000 --out results/s12/paper.jsonl > /dev/null
done
