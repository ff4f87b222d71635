#!/bin/bash
# session 11: the new default on held-out f10-f14 instances 6-10 (d = 2, 5, 10) and on f15-f19
# (d = 5, instances 1-5, not a target); runs after v2.sh
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while ! grep -q DONE results/s11/v2.log; do sleep 10; done
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --methods ours --tag=-s11"
$B --dims 2,5,10 --functions 10-14 --instances 6-10
$B --dims 5 --functions 15-19 --instances 1-5
echo DONE
