#!/bin/bash
# Session 12 tuning: d = 5, f20-f24, instances 1-5, seeds rep 0-2: default (no knob) and NBIPOP 2.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for rep in 0 1 2; do
  for v in def:'{}' nb2:'{"nbipop": 2}'; do
    name=${v%%:*}; knobs=${v#*:}
    knobs=$(python -c "import json,sys; k=json.loads(sys.argv[1]); k['rep']=$rep; print(json.dumps(k))" "$knobs")
    tag=-$name; [ $rep -gt 0 ] && tag=$tag-r$rep
    nice -n 10 python results/s12/knob.py "$knobs" -- --methods ours --functions 20-24 --dims ${D:-5} \
      --instances 1-5 --budget 10000 --out results/s12/tune.jsonl --tag=$tag > /dev/null
  done
done
