#!/bin/bash
# Session 12: NGOpt on R^d at d = 20, f20-f24, instances 1-2 only (about 4 min a run; the
# f10-f14 rows of d = 20 come from ng.sh), after grid.sh; then instances 3-5 while time allowed.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
while pgrep -f results/s12/grid.sh > /dev/null; do sleep 20; done
nice -n 10 python benchmarks/bench_bbob.py --methods ngopt-free --functions 20-24 --dims 20 \
  --instances 1-2 --budget 10000 --out results/s12/ng.jsonl > /dev/null
nice -n 10 python benchmarks/bench_bbob.py --methods ngopt-free --functions 20-24 --dims 20 \
  --instances 1-5 --budget 10000 --out results/s12/ng.jsonl > /dev/null
