#!/bin/bash
# Session 12, decided before running: d = 20, f20-f24, instances 1-10, two more seeds
# (rep 1, 2) of the default and pycma, pooled with rep 0 (session 11's rows: `ours-s11` on
# instances 1-5, `ours-gall` on 6-10, identical configurations).
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for rep in 1 2; do
  nice -n 10 python results/s12/knob.py "{\"rep\": $rep}" -- --methods ours --functions 20-24 \
    --dims 20 --instances 1-10 --budget 10000 --out results/s12/held.jsonl --tag=-gall-r$rep > /dev/null
  nice -n 10 python results/s12/cma_reps.py 20 20-24 1-10 $rep > /dev/null
done
