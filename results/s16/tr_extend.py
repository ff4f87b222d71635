"""Issue 13: the TransNAS tasks where neither transfer nor surrogate mode without it finds the
held-out optimum within 100 queries (medians), given a larger budget. Meta-trains the task's
prior with the benchmark's settings (bench_transfer.meta_train, seed 0: the reported model)
and runs bench_transfer.one_run for METHOD ("transfer" or "no transfer").
python results/s16/tr_extend.py PART TASK METHOD SEEDS BUDGET OUT"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_transfer as bt

part, task, method, seeds, budget, out = sys.argv[1:7]
a, b = (int(x) for x in seeds.split("-"))
priors = {}
if method == "transfer":
    bt.OUT.mkdir(parents=True, exist_ok=True)
    priors = {"transfer": [bt.meta_train((part, task, "transfer", 0, "cpu"))]}
    print("prior", priors, flush=True)
for seed in range(a, b + 1):
    rec = bt.one_run((part, task, method, seed, int(budget), priors, "cpu"))
    with open(out, "a") as f:
        f.write(json.dumps({k: rec[k] for k in ("part", "task", "method", "seed", "q", "wall", "opt")}) + "\n")
    print(seed, rec["q"], f"{rec['wall']:.0f} s", flush=True)
