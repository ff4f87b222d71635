#!/bin/bash
# session 11 sweep 2: extra seeds (rep 1, 2) on the tuning instances 1-5, d = 5 f20-f24
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
K="nice -n 10 python results/s11/knob.py"
A="--budget 10000 --out results/s11/tune.jsonl --dims 5 --functions 20-24 --instances 1-5 --methods ours"
for r in 1 2; do
$K "{\"rep\": $r}" -- $A --ours-config '{"large": "gauss"}' --tag=-gauss3-r$r
$K "{\"rep\": $r, \"first_gauss\": 1}" -- $A --ours-config '{"large": "gauss"}' --tag=-fg-r$r
$K "{\"rep\": $r}" -- $A --tag=-r$r
$K "{\"rep\": $r, \"first_gauss\": 1, \"gscale\": 2}" -- $A --ours-config '{"large": "gauss"}' --tag=-fgs2-r$r
done
