#!/bin/bash
# session 11: the new default (large=None -> "gauss-all" up to d = 10), rows ours-s11, re-run as
# the preset's rows must be for a new default; then gauss-all at d = 20 (information only)
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_bbob.py --budget 10000 --out results/s11/bbob.jsonl --methods ours"
$B --dims 2,5,10 --functions 10-14,20-24 --instances 1-5 --tag=-s11
$B --dims 20 --functions 20-24,10-14 --instances 1-5 --ours-config {\"large\":\"gauss-all\"} --tag=-gall
echo DONE
