"""Session 11 tuning runs (seeds 100-199 only): the default against the wide-runs variant.

python results/s11ofa/tune.py OUT.jsonl SEEDS [LABELS] [CELLS]
Each run is bench_searchers.run_one (same protocol as the tables), one JSON line per run.
"""

import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as B  # noqa: E402

WIDE = "ednag wide runs (N = 34, T = 30 at 10,000 calls)"
B.METHODS[WIDE] = ("ednag", {"popsize": 34})
B.METHODS["ednag wide repair-only"] = ("ednag", {"preset": "repair-only", "popsize": 34})
SQRT = "ednag self-similar runs (N = 18 / 26 at 10000)"  # constraint mode: 26
FEWER = "ednag five runs (T = 200 / 100 at 10000)"  # exploration, not a population rule
B.METHODS[FEWER] = ("ednag", {"runs": 5})
SQRT_N = {"acc": 18, "acc@25ms": 26}  # N of the self-similar rule at B = 10,000 (RULE.md)

torch.set_num_threads(1)
out = Path(sys.argv[1])
seeds = B.parse_seeds(sys.argv[2])
if any(s < 100 for s in seeds):
    raise SystemExit("tuning seeds only")
labels = sys.argv[3].split(",") if len(sys.argv) > 3 else ["ednag default", WIDE]
cells = sys.argv[4].split(",") if len(sys.argv) > 4 else ["acc", "acc@25ms"]
B._CTX.update(B.problems("ofa", False))
done = set()
if out.exists():
    done = {(r["problem"], r["method"], r["seed"]) for r in map(json.loads, out.open())}
for s in seeds:
    for c in cells:
        for m in labels:
            if (c, m, s) in done:
                continue
            B.METHODS[SQRT] = ("ednag", {"popsize": SQRT_N[c]})
            rec = B.run_one(("ofa", c, m, s))
            rec.pop("q", None)
            with out.open("a") as f:
                f.write(json.dumps(rec) + "\n")
            print(
                c,
                m,
                s,
                {b: round(a["report"], 4) for b, a in rec["at"].items()},
                f"{rec['wall']:.0f}s",
                flush=True,
            )
