#!/bin/bash
# session 11 sweep 1: knobs on top of first_gauss, d = 5 f20-f24 instances 1-5 (tuning)
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
K="nice -n 10 python results/s11/knob.py"
A="--budget 10000 --out results/s11/bbob.jsonl --dims 5 --functions 20-24 --instances 1-5 --methods ours --by-function"
$K '{"first_gauss": 1, "gscale": 2}' -- $A --ours-config '{"large": "gauss"}' --tag=-fgs2
$K '{"first_gauss": 1, "small_ratio": 0.5}' -- $A --ours-config '{"large": "gauss"}' --tag=-fgr05
$K '{"first_gauss": 1}' -- $A --ours-config '{"large": "gauss", "restarts": "ipop"}' --tag=-fgipop
