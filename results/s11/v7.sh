#!/bin/bash
# session 11: GAUSS_ALL_MAX_DIM raised to 20 after v5/v6: the new default's rows at d = 20
# (f10-f14 and f20-f24, instances 1-5), to compare bit for bit with the -gall rows
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --methods ours --dims 20 --functions 20-24,10-14 --instances 1-5 --tag=-s11
echo DONE
