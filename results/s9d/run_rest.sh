#!/bin/bash
# Session 9 (#18), after run_report.sh: TPE + distinct networks capped (TPE's cost grows
# with its trials; its first B queries do not depend on the budget) on the reported seeds,
# kept apart in results/s9d/tpe/ (TransNAS micro at 50 and 100; NB201 up to 300 queries);
# then the default and its "+ distinct networks" row on seeds kept aside (20-39).
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1
while [ -n "$1" ] && kill -0 "$1" 2>/dev/null; do sleep 5; done  # optional: wait for a pid
B="nice -n 10 python benchmarks/bench_searchers.py --workers 1"
$B --seeds 0-19 --bench transnas --budget 100 --out results/s9d/tpe --methods "TPE + distinct networks"
$B --seeds 20-39 --out results/s9d/heldout --bench nb201,nb201-noisy,transnas \
   --problems micro,cifar,Image --methods "ednag default,ednag default + distinct networks"
$B --seeds 0-19 --bench nb201 --budget 300 --out results/s9d/tpe --methods "TPE + distinct networks"
