#!/bin/bash
# session 10: large="gauss" at d = 20 (f20-f24, instances 1-5; dimension not tuned on)
cd /work/main && . .venv/bin/activate
export OMP_NUM_THREADS=1
nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s10/bbob.jsonl --dims 20 --functions 20-24 --instances 1-5 --methods ours --ours-config {\"large\":\"gauss\"} --tag=-gauss3
