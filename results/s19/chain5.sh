#!/bin/bash
# Stage 1 of RULE19_kick.md (tuning seeds 140-159), after the ablation runs.
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while pgrep -f chain4.sh > /dev/null; do sleep 10; done
python results/s19/tune.py results/s19/kick_a.jsonl 140-149 "ednag renoised restarts,ednag default" acc > results/s19/kick_a.log 2>&1 &
python results/s19/tune.py results/s19/kick_b.jsonl 150-159 "ednag renoised restarts,ednag default" acc > results/s19/kick_b.log 2>&1 &
wait
