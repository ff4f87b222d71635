export OMP_NUM_THREADS=1
cd /work/main
python benchmarks/tune_small.py base '{}' --seeds 110-119
python results/s16/tune_gp.py "gp l2=4 n=0.1" 4 0.1 0 110-119
python results/s16/tune_gp.py "gp l2=8 n=0.1" 8 0.1 0 100-119
