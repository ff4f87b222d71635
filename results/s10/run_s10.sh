#!/bin/bash
# Session 10, issue #13 goal 3: TransNAS seeds 7-19, then MobileNetV3 + OFA seeds 5.. one at a time.
cd /work/main && . .venv/bin/activate
export OMP_NUM_THREADS=1
echo "start $(date -u)"
nice -n 10 python benchmarks/bench_surrogate_spaces.py --part transnas --seeds 7-19 > results/s10/transnas_7-19.log 2>&1
echo "transnas done rc=$? $(date -u)"
nice -n 10 python results/s10/repro_check.py ofa acc:REA:0 acc:TPE:0 acc@25ms:REA:0 acc:surrogate:0 > results/s10/ofa_repro.log 2>&1
echo "ofa repro done $(date -u)"
for s in $(seq 5 19); do
  if [ "$(date -u +%H%M)" -ge 0655 ]; then echo "no time for seed $s"; break; fi
  nice -n 10 python benchmarks/bench_surrogate_spaces.py --part ofa --seeds $s >> results/s10/ofa.log 2>&1
  echo "ofa seed $s done rc=$? $(date -u)"
done
echo "end $(date -u)"
