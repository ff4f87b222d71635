#!/bin/bash
# After chain5: rows of the MobileNetV3 table that the regenerated table keeps (the paper's
# configuration on seeds 0-4 as before; the penalised scalar under 25 ms on 0-19).
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while pgrep -f chain5.sh > /dev/null; do sleep 10; done
python results/s19/tune.py results/s19/rows_a.jsonl 0-4 "ednag paper" acc@25ms,acc > results/s19/rows_a.log 2>&1 &
python results/s19/tune.py results/s19/rows_b.jsonl 0-19 "ednag penalty (session-6 default)" acc@25ms > results/s19/rows_b.log 2>&1 &
wait
