#!/bin/bash
# session 11: f1-f9 at d = 5, instances 1-5 (not a target; no pycma rows at 10^4 d): the new
# default against the preset (large="ddim"); runs after v3.sh
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while ! grep -q DONE results/s11/v3.log 2>/dev/null; do sleep 10; done
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --methods ours --dims 5 --functions 1-9 --instances 1-5"
$B --tag=-s11
$B --ours-config {\"large\":\"ddim\"} --tag=-ddim
echo DONE
