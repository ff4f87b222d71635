#!/bin/bash
# Session 12: the whole BBOB grid at 10^4 d for the default and pycma (all 24 functions,
# d = 2, 5, 10, 20, instances 1-5). results/s12/bbob.jsonl starts as a copy of session 11's
# rows, so the runs already there (`ours-s11` = the default, `cma`) are skipped.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
[ -f results/s12/bbob.jsonl ] || cp results/s11/bbob.jsonl results/s12/bbob.jsonl
while pgrep -f results/s12/paper.sh > /dev/null; do sleep 20; done
for d in 2 5 10 20; do
  nice -n 10 python benchmarks/bench_bbob.py --methods ours,cma --tag=-s11 --functions 1-24 \
    --dims $d --instances 1-5 --budget 10000 --out results/s12/bbob.jsonl > /dev/null
done
