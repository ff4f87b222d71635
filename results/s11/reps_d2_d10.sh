#!/bin/bash
# end of session 11: seeds r = 1, 2 (seed = instance + 7919 r) of the new default (knob.py's
# first_gauss + large="gauss" = large="gauss-all", rows ours-gall-r<r>) and of pycma
# (cma-r<r>) on f20-f24, instances 1-5, d = 2 and 10; rep 0 = the ours-gall / cma rows
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
for d in 2 10; do
  for r in 1 2; do
    nice -n 10 python results/s11/knob.py "{\"rep\": $r, \"first_gauss\": 1}" -- --budget 10000 --out results/s11/tune.jsonl --dims $d --functions 20-24 --instances 1-5 --methods ours --ours-config '{"large": "gauss"}' --tag=-gall-r$r
  done
  nice -n 10 python results/s11/cma_reps.py $d 20-24 1-5 1,2
done
