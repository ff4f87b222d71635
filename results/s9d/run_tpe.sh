#!/bin/bash
# Session 9 (#18), after run_rest.sh showed TPE's cost on this machine is a few seconds per
# 300 queries: TPE + distinct networks on the reported seeds at the full budgets, merged
# into results/search/ (the capped runs of results/s9d/tpe/ are their prefixes).
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_searchers.py --workers 1"
$B --seeds 0-19 --bench transnas,nb201 --methods "TPE + distinct networks"
