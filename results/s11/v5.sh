#!/bin/bash
# session 11: large="gauss-all" at d = 20 on the held-out f10-f14 instances 6-10 (information;
# not the default there); runs after v4.sh
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while ! grep -q DONE results/s11/v4.log 2>/dev/null; do sleep 10; done
nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --methods ours --dims 20 --functions 10-14 --instances 6-10 --ours-config {\"large\":\"gauss-all\"} --tag=-gall
echo DONE
