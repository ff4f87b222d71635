#!/bin/bash
# session 10: checks of large="gauss" (tag -gauss3) outside the d = 5 tuning cell
cd /work/main && . .venv/bin/activate
export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s10/bbob.jsonl --methods ours --ours-config {\"large\":\"gauss\"} --tag=-gauss3"
$B --dims 5 --functions 20-24 --instances 6-10
$B --dims 2 --functions 20-24,10-14 --instances 1-5
$B --dims 5 --functions 10-14 --instances 1-5
$B --dims 10 --functions 20-24,10-14 --instances 1-5
