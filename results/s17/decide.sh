#!/bin/bash
# Decision block of results/s17/RULE18.md: seeds 180-199, the default (renoise=16) and renoise=32.
cd /work/main
export OMP_NUM_THREADS=1
P=.venv/bin/python
while pgrep -f "bench_searchers.py --bench transnas --seeds 180-199" > /dev/null; do sleep 10; done
for lab in 16 32; do
  $P benchmarks/tune_small.py "d17 renoise$lab" "{\"renoise\": $lab}" --seeds 180-199
  $P benchmarks/tune_small.py "d17 renoise$lab" "{\"renoise\": $lab}" --bench nb201 --seeds 180-199
done
