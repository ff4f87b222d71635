import sys, torch, json
torch.set_num_threads(1)
from ednag_opt import search
from ednag_opt.spaces import get_space
from ednag_opt.fitness import CachedFitness
from ednag_opt.fitness.predictors import OFAAccuracyPredictor
seed=int(sys.argv[1]); opts=json.loads(sys.argv[2]) if len(sys.argv)>2 else {}
res = search("ednag", get_space("mobilenetv3"), CachedFitness(OFAAccuracyPredictor()), max_queries=10000, seed=seed, **opts)
best=-1; first={}
for i,(a,v) in enumerate(res.queries):
    if v>best: best=v; first_i=i
bestrun={}
for row in res.history:
    r=row["run"]; bestrun[r]=max(bestrun.get(r,-1), row["batch_best"] if row["batch_best"] is not None else -1)
print(seed, opts, "final", round(100*best,3), "found at", first_i, "per-run best", [round(100*v,2) for v in bestrun.values()])
