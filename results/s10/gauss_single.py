# session 10: one Gaussian-frame run (gauss_run) from 6 random starts U(-4,4)^5: python results/s10/gauss_single.py FID INSTANCE POP SCALE
import sys, math, numpy as np, torch
sys.path.insert(0,'benchmarks')
import bench_bbob as bb
from ednag_opt.strategy import blackbox as B
fid,inst,pop,sc=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),float(sys.argv[4])
prob=bb.get_bbob_problem(fid,5,inst)
res=[]
for s in range(6):
    out=B.MinimizeResult(None, math.inf,0,0)
    rng=np.random.default_rng(100+s)
    start=torch.as_tensor(rng.uniform(-4,4,5))
    sp=B.gauss_run(lambda x: prob.error(x.numpy()),start,pop,sc,out,50000,1e-8,7+s)
    res.append(f"{out.fun:.1e}/{sp}")
print(fid,inst,pop,sc,' '.join(res))
