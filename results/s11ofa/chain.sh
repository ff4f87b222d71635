#!/bin/bash
# waits for the running tune.py (pid in tune.pid), then the exploration runs, one at a time
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while kill -0 "$(cat results/s11ofa/tune.pid)" 2>/dev/null; do sleep 10; done
nice -n 10 python results/s11ofa/tune.py results/s11ofa/tune_100_109.jsonl 100-109 "REA,ednag five runs (T = 200 / 100 at 10000)" > results/s11ofa/tune_explore_100_109.log 2>&1
