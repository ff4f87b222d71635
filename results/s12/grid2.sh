#!/bin/bash
# Session 12: evosax's DiffusionEvolution and NGOpt on R^d on the rest of the grid at 10^4 d
# (all 24 functions, instances 1-5; evosax at d = 2-20, NGOpt at d = 2 and 5 as time allowed).
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for d in 2 5 10 20; do
  nice -n 10 python benchmarks/bench_bbob.py --methods evosax --functions 1-24 --dims $d \
    --instances 1-5 --budget 10000 --out results/s12/bbob.jsonl > /dev/null
done
for d in 2 5; do
  nice -n 10 python benchmarks/bench_bbob.py --methods ngopt-free --functions 1-24 --dims $d \
    --instances 1-5 --budget 10000 --out results/s12/ng.jsonl > /dev/null
done
