#!/bin/bash
# Session 12, decided before running: d = 2, f20-f24, held-out instances 6-25, three seeds
# (rep 0: instances 11-25 are new, 6-10 are session 11's rows), the default and pycma.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
A="--functions 20-24 --dims 2 --budget 10000 --out results/s12/held.jsonl"
nice -n 10 python results/s12/knob.py '{}' -- --methods ours $A --instances 11-25 --tag=-gall > /dev/null
nice -n 10 python benchmarks/bench_bbob.py --methods cma $A --instances 11-25 > /dev/null
for rep in 1 2; do
  nice -n 10 python results/s12/knob.py "{\"rep\": $rep}" -- --methods ours $A --instances 6-25 \
    --tag=-gall-r$rep > /dev/null
  nice -n 10 python results/s12/cma_reps.py 2 20-24 6-25 $rep > /dev/null
done
