#!/bin/bash
# session 10: large="alternate" (tag -alt), d = 5 tuning then held-out instances
cd /work/main && . .venv/bin/activate
export OMP_NUM_THREADS=1
while pgrep -f "results/s10/v1.sh" > /dev/null; do sleep 5; done
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s10/bbob.jsonl --methods ours --ours-config {\"large\":\"alternate\"} --tag=-alt"
$B --dims 5 --functions 20-24 --instances 1-5
$B --dims 5 --functions 20-24 --instances 6-10
