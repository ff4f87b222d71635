#!/bin/bash
# Session 12: NGOpt told what ours and pycma are told (R^d, no box), f10-f14 and f20-f24.
set -e
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for d in 5 10 20; do
  nice -n 10 python benchmarks/bench_bbob.py --methods ngopt-free --functions 10-14,20-24 \
    --dims $d --instances 1-5 --budget 10000 --out results/s12/ng.jsonl > /dev/null
done
