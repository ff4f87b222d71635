"""Scratch: does the current code reproduce stored seed-0 runs of bench_surrogate_spaces?"""
import json
import os
import sys

os.environ.setdefault("OMP_NUM_THREADS", "1")
import torch

torch.set_num_threads(1)
sys.path.insert(0, "benchmarks")
import bench_surrogate_spaces as b  # noqa: E402

part = sys.argv[1]
jobs = [tuple(x.split(":")) for x in sys.argv[2:]]  # problem:method:seed
stored = {(r["problem"], r["method"], r["seed"]): r for r in b.load(b.OUT / f"{part}.jsonl")}
probs = b.problems(part, quick=False)
for pr, m, s in jobs:
    rec = b.one_run(probs[pr], pr, m, int(s), max(b.BUDGETS))
    old = stored[(pr, m, int(s))]
    keys = ("unique", "at", "q_opt", "rounds")
    same = all(rec[k] == old[k] for k in keys)
    print(pr, m, s, "IDENTICAL" if same else "DIFFERENT", f"{rec['wall']:.1f} s",
          {k: (rec[k], old[k]) for k in keys if rec[k] != old[k]}, flush=True)
