#!/bin/bash
# session 10: a larger held-out check at d = 5, instances 11-25: preset, large="gauss", pycma
cd /work/main && . .venv/bin/activate
export OMP_NUM_THREADS=1
while pgrep -f "results/s10/v2.sh" > /dev/null; do sleep 5; done
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s10/bbob.jsonl --dims 5 --functions 20-24 --instances 11-25"
$B --methods cma
$B --methods ours --ours-config {\"large\":\"gauss\"} --tag=-gauss3
$B --methods ours
