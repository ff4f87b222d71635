"""Rule 'model' vs best observed on noiseless benchmarks (default's runs, tuning seeds).

First call runs the searches and stores the queries (results/s9n/noiseless_<bench>.pkl);
later calls re-apply the rule (env THETAS: the theta grid)."""
import importlib, os, pickle, sys
import numpy as np
sys.path.insert(0, "benchmarks")
import torch; torch.set_num_threads(1)
import bench_searchers as b
from ednag_opt import search
from ednag_opt.fitness import CachedFitness
R = importlib.import_module("ednag_opt.search.recommend")
if os.environ.get("THETAS"):
    R._THETAS = tuple(float(x) for x in os.environ["THETAS"].split(","))
seeds = b.parse_seeds(sys.argv[1] if len(sys.argv) > 1 else "100-109")
for bench in ("nb201", "transnas"):
    probs = b.problems(bench, False)
    path = f"results/s9n/noiseless_{bench}.pkl"
    store = pickle.load(open(path, "rb")) if os.path.exists(path) else {}
    tot_d, tot_l = [], []
    for name, p in probs.items():
        diff, loss = [], []
        for s in seeds:
            if (name, s) not in store:
                res = search("ednag", p["space"], CachedFitness(p["source"]), max_queries=300, seed=s)
                store[(name, s)] = res.queries
            q = store[(name, s)]
            for B in (50, 100, 300):
                r0 = R.recommend(q[:B], p["space"], maximize=p["source"].maximize, rule="best")
                r1 = R.recommend(q[:B], p["space"], maximize=p["source"].maximize)
                diff.append(r0.query != r1.query)
                if bench == "transnas":
                    norm = lambda v: (p["optimum"] - v) / (p["optimum"] - p["worst"])
                    loss.append(norm(r1.value) - norm(r0.value))
                else:
                    loss.append(r0.value - r1.value)
        print(bench, name, f"differs {np.mean(diff):.2f}, mean loss {np.mean(loss):.4f}", flush=True)
        tot_d += diff; tot_l += loss
    pickle.dump(store, open(path, "wb"))
    print("TOTAL", bench, f"differs {np.mean(tot_d):.3f}, mean loss {np.mean(tot_l):.5f}, max {np.max(tot_l):.4f}", flush=True)
