#!/bin/bash
# After run.sh: micro autoencoder, both rows, budget 400 (session 16 stopped at 300, 13 no-transfer seeds).
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
while pgrep -f "run.sh $1" >/dev/null; do sleep 20; done
if [ "$1" = A ]; then m=transfer; f=tr; else m="no transfer"; f=nt; fi
python results/s16/tr_extend.py transnas-micro autoencoder "$m" 0-19 400 results/s30/${f}_micro_autoencoder.jsonl
