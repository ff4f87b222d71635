#!/bin/bash
# Session 12, decided before running: two more seeds (rep 1, 2: seed = instance + 7919 rep)
# of the session-11 default (`ours-gall`) and pycma on the held-out instances 6-25, d = 5,
# f20-f24; reported pooled with rep 0 (results/s11/bbob.jsonl), whatever they give.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for rep in 1 2; do
  nice -n 10 python results/s12/knob.py "{\"rep\": $rep}" -- --methods ours --functions 20-24 \
    --dims 5 --instances 6-25 --budget 10000 --out results/s12/held.jsonl --tag=-gall-r$rep > /dev/null
  nice -n 10 python results/s12/cma_reps.py 5 20-24 6-25 $rep > /dev/null
done
