#!/bin/bash
# session 10: large="gauss" on held-out instances 6-10 at d = 2 and 10; f15-f19 at d = 5 (preset, gauss, pycma)
cd /work/main && . .venv/bin/activate
export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s10/bbob.jsonl"
G="--methods ours --ours-config {\"large\":\"gauss\"} --tag=-gauss3"
$B --dims 2 --functions 20-24 --instances 6-10 $G
$B --dims 10 --functions 20-24 --instances 6-10 $G
$B --dims 5 --functions 15-19 --instances 1-5 --methods cma,ours
$B --dims 5 --functions 15-19 --instances 1-5 $G
