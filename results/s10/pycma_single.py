# session 10: one pycma run (no restarts) from the same 6 starts: python results/s10/pycma_single.py FID INSTANCE POP SIGMA0 ["{options}"]
import sys, math, numpy as np, warnings
sys.path.insert(0,'benchmarks')
import bench_bbob as bb, cma
fid,inst,pop,sc=int(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),float(sys.argv[4])
extra = eval(sys.argv[5]) if len(sys.argv)>5 else {}
prob=bb.get_bbob_problem(fid,5,inst)
res=[]
for s in range(6):
    rng=np.random.default_rng(100+s)
    x0=rng.uniform(-4,4,5)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        es=cma.CMAEvolutionStrategy(x0, sc, {'popsize':pop,'seed':7+s,'verbose':-9,'maxfevals':50000,'ftarget':1e-8, **extra})
        while not es.stop():
            X=es.ask(); es.tell(X, list(prob.error(np.array(X))))
    res.append(f"{es.result.fbest:.1e}/{es.countevals}")
print('pycma',fid,inst,pop,sc,extra,' '.join(res))
