#!/bin/bash
# Session 12: the checks in order on one core (after t3.sh).
cd "$(dirname "$0")/../.."
export OMP_NUM_THREADS=1
nice -n 10 python results/s12/shift.py 3 > results/s12/shift.md
bash results/s12/held10.sh
bash results/s12/held20.sh
