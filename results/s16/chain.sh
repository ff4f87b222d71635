#!/bin/bash
# issue 13: the four TransNAS micro tasks neither row solves within 100, at budget 300
export OMP_NUM_THREADS=1
. /work/main/.venv/bin/activate
python tr_extend.py transnas-micro autoencoder "no transfer" 0-19 300 tr_micro_autoencoder.jsonl
for t in normal room_layout segmentsemantic; do
  python tr_extend.py transnas-micro $t transfer 0-19 300 tr_micro_$t.jsonl
  python tr_extend.py transnas-micro $t "no transfer" 0-19 300 tr_micro_$t.jsonl
done
