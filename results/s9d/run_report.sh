#!/bin/bash
# Session 9 (#18): the rows with one query per network on the reported seeds 0-19, merged
# into results/search/ (the stored rows of the other methods stay; TransNAS macro and
# MobileNetV3 are skipped by bench_searchers: no canonicalize).
cd "$(dirname "$0")/../.." && . .venv/bin/activate
export OMP_NUM_THREADS=1
B="nice -n 10 python benchmarks/bench_searchers.py --workers 1"
NETS="ednag default + distinct networks,REA + distinct networks,local search + distinct networks,random + distinct networks"
$B --seeds 0-19 --bench nb201,nb201-noisy,transnas --methods "$NETS"
$B --seeds 0-19 --bench nb201-noisy --methods "TPE + distinct networks"
