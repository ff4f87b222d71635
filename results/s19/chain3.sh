#!/bin/bash
# After stage 2: the report seeds 0-19 under 25 ms, then stage 1 of RULE19_acc.md.
cd /work/main && . .venv/bin/activate && export OMP_NUM_THREADS=1
while pgrep -f chain2.sh > /dev/null; do sleep 10; done
python results/s19/tune.py results/s19/report_a.jsonl 0-9 "ednag staged,ednag default" > results/s19/report_a.log 2>&1 &
python results/s19/tune.py results/s19/report_b.jsonl 10-19 "ednag staged,ednag default" > results/s19/report_b.log 2>&1 &
wait
python results/s19/tune.py results/s19/acc_a.jsonl 120-129 "ednag runs=5,ednag runs=2,ednag default" acc > results/s19/acc_a.log 2>&1 &
python results/s19/tune.py results/s19/acc_b.jsonl 130-139 "ednag runs=5,ednag runs=2,ednag default" acc > results/s19/acc_b.log 2>&1 &
wait
