#!/bin/bash
# Issue 13, session 30: the 1/3 rule's four undecided TransNAS micro tasks at a longer budget.
# Stream A: transfer (reported seed-0 prior, re-fitted) ; stream B: no transfer. Budget 400.
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
if [ "$1" = A ]; then
  for t in normal room_layout segmentsemantic; do
    python results/s16/tr_extend.py transnas-micro $t transfer 0-19 400 results/s30/tr_micro_$t.jsonl
  done
else
  for t in normal room_layout segmentsemantic; do
    python results/s16/tr_extend.py transnas-micro $t "no transfer" 0-19 400 results/s30/nt_micro_$t.jsonl
  done
fi
