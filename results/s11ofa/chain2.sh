#!/bin/bash
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while kill -0 "$(cat results/s11ofa/chain.pid)" 2>/dev/null; do sleep 5; done
nice -n 10 python results/s11ofa/tune.py results/s11ofa/tune_110_119.jsonl 110-119 "ednag default,ednag five runs (T = 200 / 100 at 10000),REA" > results/s11ofa/tune_110_119.log 2>&1
