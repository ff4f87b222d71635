export OMP_NUM_THREADS=1
python results/s16/tune_gp.py "gp l2=1 n=0.1" 1 0.1 0 100-109
python results/s16/tune_gp.py "gp l2=4 n=0.1" 4 0.1 0 100-109
python results/s16/tune_gp.py "gp l2=2 n=0.1 ucb0.3" 2 0.1 0.3 100-109
