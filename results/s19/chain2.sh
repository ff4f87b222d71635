#!/bin/bash
# Stage 2 of RULE19.md (kept-aside seeds 20-59) and the report seeds 0-19, two workers.
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
python results/s19/tune.py results/s19/check_a.jsonl 20-39 "ednag staged,ednag default" > results/s19/check_a.log 2>&1 &
python results/s19/tune.py results/s19/check_b.jsonl 40-59 "ednag staged,ednag default" > results/s19/check_b.log 2>&1 &
wait
