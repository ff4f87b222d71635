import os, sys, collections
os.environ["OMP_NUM_THREADS"]="1"
sys.path.insert(0,"benchmarks")
import numpy as np
from bench_multiobjective import Cell
from ednag_opt.strategy.pareto import pareto_mask
c0=None
for ds in ["cifar10","ImageNet16-120"]:
  for dev in ["edgegpu_latency","raspi4_latency","pixel3_latency","edgetpu_latency"]:
    c=Cell(ds,dev)
    archs=c.space.enumerate()
    net=[c.space.prune(a).key for a in archs]
    cnt=collections.Counter(net)
    V=np.column_stack([c.acc(archs).numpy(), c.cost(archs).numpy()])
    front=np.flatnonzero(pareto_mask(V*[1.0,-1.0]))
    fn=set(net[i] for i in front)
    sizes=sorted([cnt[n] for n in fn],reverse=True)
    print(ds,dev,"front cells",len(front),"nets",len(fn),"cells of front nets",sum(sizes), sizes[:8])
