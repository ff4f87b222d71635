"""Session 20 screen: the default with explicit options, by the tables' protocol.

python results/s20/opt_screen.py OUT.jsonl BENCH SEEDS 'LABEL::JSON_OPTIONS[;LABEL::...]' [CELLS]
e.g. 'ednag sigma=0.3::{"sigma": 0.3}'. BUDGETS=1000 restricts the scored budgets.
"""

import json
import os
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as B  # noqa: E402

torch.set_num_threads(1)
out, bench, seeds = Path(sys.argv[1]), sys.argv[2], B.parse_seeds(sys.argv[3])
labels = []
for item in sys.argv[4].split(";"):
    lab, _, opts = item.partition("::")
    if opts:
        B.METHODS.setdefault(lab, ("ednag", json.loads(opts)))
    labels.append(lab)
B._CTX.update(B.problems(bench, False))
if os.environ.get("BUDGETS"):
    for p in B._CTX.values():
        p["budgets"] = [int(b) for b in os.environ["BUDGETS"].split(",")]
cells = sys.argv[5].split(",") if len(sys.argv) > 5 else list(B._CTX)
done = set()
if out.exists():
    done = {(r["problem"], r["method"], r["seed"]) for r in map(json.loads, out.open())}
for s in seeds:
    for c in cells:
        for m in labels:
            if (c, m, s) in done:
                continue
            rec = B.run_one((bench, c, m, s))
            rec.pop("q", None)
            with out.open("a") as f:
                f.write(json.dumps(rec) + "\n")
            print(c, m, s, {b: round(a["report"], 4) for b, a in rec["at"].items()},
                  rec.get("origins"), f"{rec['wall']:.0f}s", flush=True)
