#!/bin/bash
# After chain3: the diffusion-off ablation (repair-only preset) on the report seeds, both cells.
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while pgrep -f chain3.sh > /dev/null; do sleep 10; done
L="ednag repair-only (no diffusion)"
python results/s19/tune.py results/s19/ablation_a.jsonl 0-9 "$L" acc@25ms,acc > results/s19/ablation_a.log 2>&1 &
python results/s19/tune.py results/s19/ablation_b.jsonl 10-19 "$L" acc@25ms,acc > results/s19/ablation_b.log 2>&1 &
wait
