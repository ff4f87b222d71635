"""Session 17 tuning runs on MobileNetV3 (seeds 100-199 only): renoised draws in the
10,000-call runs, where renoise="auto" adds none (the budget-aware schedule stretches T).

python results/s17/tune_ofa.py OUT.jsonl SEEDS LABELS [CELLS]
Each run is bench_searchers.run_one (the tables' protocol), one JSON line per run.
"""

import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as B  # noqa: E402

for k in (16, 32):
    B.METHODS[f"ednag renoise={k}"] = ("ednag", {"renoise": k})

torch.set_num_threads(1)
out = Path(sys.argv[1])
seeds = B.parse_seeds(sys.argv[2])
if any(s < 100 or s >= 200 for s in seeds):
    raise SystemExit("tuning seeds only")
labels = sys.argv[3].split(",")
cells = sys.argv[4].split(",") if len(sys.argv) > 4 else ["acc"]
B._CTX.update(B.problems("ofa", False))
done = set()
if out.exists():
    done = {(r["problem"], r["method"], r["seed"]) for r in map(json.loads, out.open())}
for s in seeds:
    for c in cells:
        for m in labels:
            if (c, m, s) in done:
                continue
            rec = B.run_one(("ofa", c, m, s))
            rec.pop("q", None)
            with out.open("a") as f:
                f.write(json.dumps(rec) + "\n")
            at = {b: round(a["report"], 4) for b, a in rec["at"].items()}
            print(c, m, s, at, f"{rec['wall']:.0f}s", flush=True)
