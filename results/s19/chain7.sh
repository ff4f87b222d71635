#!/bin/bash
# Stage 2 of RULE19_kick.md (kept-aside seeds 20-59), then the rows of chain6.
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
python results/s19/tune.py results/s19/kick_check_a.jsonl 20-39 "ednag renoised restarts" acc > results/s19/kick_check_a.log 2>&1 &
python results/s19/tune.py results/s19/kick_check_b.jsonl 40-59 "ednag renoised restarts" acc > results/s19/kick_check_b.log 2>&1 &
wait
python results/s19/tune.py results/s19/kick_repro.jsonl 20 "ednag default" acc > results/s19/kick_repro.log 2>&1 &
python results/s19/tune.py results/s19/rows_a.jsonl 0-4 "ednag paper" acc@25ms,acc > results/s19/rows_a.log 2>&1 &
python results/s19/tune.py results/s19/rows_b.jsonl 0-19 "ednag penalty (session-6 default)" acc@25ms > results/s19/rows_b.log 2>&1 &
wait
