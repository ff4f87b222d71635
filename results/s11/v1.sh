#!/bin/bash
# session 11 checks of large="gauss-all" (= knob first_gauss, frozen after sweep 2), rows ours-gall
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --methods ours --ours-config {\"large\":\"gauss-all\"} --tag=-gall"
$B --dims 5 --functions 20-24 --instances 1-5
$B --dims 5 --functions 20-24 --instances 6-25
$B --dims 2,5,10 --functions 10-14,20-24 --instances 1-5
$B --dims 2,10 --functions 20-24 --instances 6-10
echo DONE
