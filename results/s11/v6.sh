#!/bin/bash
# session 11: d = 20, f20-f24, held-out instances 6-10: the preset (the default at d = 20 is
# still large="ddim", rows 'ours') and large="gauss-all" (information for GAUSS_ALL_MAX_DIM)
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --dims 20 --functions 20-24 --instances 6-10"
$B --methods ours --ours-config {\"large\":\"gauss-all\"} --tag=-gall
$B --methods ours
echo DONE
