#!/bin/bash
# Session 9 (#18), after run_tpe.sh: the baselines and their "+ distinct networks" rows on
# the seeds kept aside (20-39) for the cell counts of the default rows (run_rest.sh); on
# nb201-noisy the baselines as run are those of results/s9n/heldout/ (session 9).
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1
while [ -n "$1" ] && kill -0 "$1" 2>/dev/null; do sleep 5; done  # optional: wait for a pid
B="nice -n 10 python benchmarks/bench_searchers.py --workers 1 --seeds 20-39 --out results/s9d/heldout"
$B --bench nb201 --methods "REA,local search,random,TPE,REA + distinct networks,local search + distinct networks,random + distinct networks,TPE + distinct networks"
$B --bench nb201-noisy --methods "REA + distinct networks,local search + distinct networks,random + distinct networks,TPE + distinct networks"
