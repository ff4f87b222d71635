# session 10: pycma IPOP on f20 d=5 as bench_bbob runs it, per-restart population, evaluations, best, mean: python results/s10/pycma_f20_trace.py INSTANCE
import sys, numpy as np, warnings
sys.path.insert(0,'benchmarks')
import bench_bbob as bb, cma
inst=int(sys.argv[1]); d=5
prob=bb.get_bbob_problem(20,d,inst)
rng=np.random.default_rng(inst)
xs=[]
def x0():
    v=rng.uniform(-4,4,d); xs.append(v); return v
info=[]
def par(X):
    X=np.asarray(X)
    v=prob.error(X)
    if not info or info[-1][0]!=len(X): info.append([len(X),0,np.inf, X.mean(0)])
    info[-1][1]+=len(X); info[-1][2]=min(info[-1][2], v.min())
    return list(v)
with warnings.catch_warnings():
    warnings.simplefilter('ignore')
    r=cma.fmin2(None, x0, 2.0, options={'maxfevals':50000,'seed':inst+1,'verbose':-9,'ftarget':1e-8}, restarts=9, incpopsize=2, parallel_objective=par)
print('x0 calls', len(xs))
for a in info: print(a[0], a[1], f"{a[2]:.1e}", np.round(a[3],2))
print('xopt', np.round(prob.x_opt if hasattr(prob,'x_opt') else [],2))
