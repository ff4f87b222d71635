#!/bin/bash
# Session 12 tuning, Schwefel f20 at d = 5, instances 1-5, ten seeds: the ablation without
# BIPOP's short diffusion runs (IPOP only), to size what the short runs cost on f20.
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
for rep in 0 1 2 3 4 5 6 7 8 9; do
  tag=-ipop; [ $rep -gt 0 ] && tag=$tag-r$rep
  nice -n 10 python results/s12/knob.py "{\"rep\": $rep}" -- --methods ours --functions 20 --dims 5 \
    --instances 1-5 --budget 10000 --out results/s12/tune.jsonl --tag=$tag \
    --ours-config '{"restarts": "ipop"}' > /dev/null
done
