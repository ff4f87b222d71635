#!/bin/bash
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
S=${1:-100-139}
nice -n 10 python benchmarks/tune_small.py s9def '{}' --bench nb201-noisy --seeds $S
for m in "REA:s9rea" "local search:s9local" "random:s9random" "TPE:s9tpe"; do
  nice -n 10 python benchmarks/tune_small.py "${m##*:}" --method "${m%%:*}" --bench nb201-noisy --seeds $S
done
echo DONE
