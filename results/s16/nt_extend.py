"""Issue 13: the 1/3 rule's undecided TransNAS tasks, decided. Surrogate mode without transfer
(bench_transfer.one_run, the tables' protocol) given a budget of BUDGET instead of 100, so
that its median queries to the held-out optimum is known where it exceeded 100.
python results/s16/nt_extend.py PART TASK SEEDS BUDGET OUT   (one JSON line per run)"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_transfer as bt

part, task, seeds, budget, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
a, b = (int(x) for x in seeds.split("-"))
for seed in range(a, b + 1):
    rec = bt.one_run((part, task, "no transfer", seed, budget, {}, "cpu"))
    with open(out, "a") as f:
        f.write(json.dumps({k: rec[k] for k in ("part", "task", "method", "seed", "q", "wall", "opt")}) + "\n")
    print(seed, rec["q"], f"{rec['wall']:.0f} s", flush=True)
