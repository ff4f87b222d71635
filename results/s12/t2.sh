#!/bin/bash
# Session 12 tuning, Schwefel f20 alone at d = 5, tuning instances 1-5, ten seeds
# (rep 0-9): the default, Gaussian runs at scale 2 (pycma's sigma0), NBIPOP budgets, and
# IPOP only (no short diffusion runs); pycma's replicates alongside.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for rep in 0 1 2 3 4 5 6 7 8 9; do
  for v in def:'{}' gs2:'{"gscale": 2}' nb2:'{"nbipop": 2}'; do
    name=${v%%:*}; knobs=${v#*:}
    knobs=$(python -c "import json,sys; k=json.loads(sys.argv[1]); k['rep']=$rep; print(json.dumps(k))" "$knobs")
    tag=-$name; [ $rep -gt 0 ] && tag=$tag-r$rep
    nice -n 10 python results/s12/knob.py "$knobs" -- --methods ours --functions 20 --dims 5 \
      --instances 1-5 --budget 10000 --out results/s12/tune.jsonl --tag=$tag > /dev/null
  done
done
# (pycma replicates: results/s12/cma_reps.py with OUT = results/s12/tune.jsonl)
nice -n 10 python results/s12/cma_reps.py 5 20 1-5 3,4,5,6,7,8,9 results/s12/tune.jsonl > /dev/null
