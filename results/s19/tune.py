"""Session 19 runs, MobileNetV3 under 25 ms at 10,000 calls (issue 18, results/s19/RULE19.md).

python results/s19/tune.py OUT.jsonl SEEDS LABELS [CELLS]
Each run is bench_searchers.run_one (the tables' protocol), one JSON line per run.
"""

import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as B  # noqa: E402

B.METHODS.setdefault("ednag staged", ("ednag", {"constraints": "staged"}))
B.METHODS.setdefault("ednag runs=5", ("ednag", {"runs": 5}))
B.METHODS.setdefault("ednag runs=2", ("ednag", {"runs": 2}))
B.METHODS.setdefault("ednag renoised restarts", ("ednag", {"warm_restarts": "auto"}))

torch.set_num_threads(1)
out = Path(sys.argv[1])
seeds = B.parse_seeds(sys.argv[2])
labels = sys.argv[3].split(",")
cells = sys.argv[4].split(",") if len(sys.argv) > 4 else ["acc@25ms"]
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
            print(c, m, s, {b: round(a["report"], 4) for b, a in rec["at"].items()},
                  f"{rec['wall']:.0f}s", flush=True)  # fmt: skip
