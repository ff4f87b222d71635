"""Session 20 screens' shared runner: bench_searchers.run_one per (seed, cell, label), one
JSON line per run appended to OUT (runs already in OUT are skipped).

Command line of every screen: OUT.jsonl BENCH SEEDS LABELS [CELLS]; BUDGETS=1000 (env)
restricts the scored budgets.
"""

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as B  # noqa: E402


def run(argv: list[str], labels: list[str], before: Callable[[str], None] = lambda m: None) -> None:
    """Run ``labels`` on ``argv = [OUT, BENCH, SEEDS, _, CELLS?]``; ``before(label)`` runs
    ahead of each run (a screen's monkeypatch switch)."""
    torch.set_num_threads(1)
    out, bench, seeds = Path(argv[0]), argv[1], B.parse_seeds(argv[2])
    B._CTX.update(B.problems(bench, False))
    if os.environ.get("BUDGETS"):
        for p in B._CTX.values():
            p["budgets"] = [int(b) for b in os.environ["BUDGETS"].split(",")]
    cells = argv[4].split(",") if len(argv) > 4 else list(B._CTX)
    done = set()
    if out.exists():
        done = {(r["problem"], r["method"], r["seed"]) for r in map(json.loads, out.open())}
    for s in seeds:
        for c in cells:
            for m in labels:
                if (c, m, s) in done:
                    continue
                before(m)
                rec = B.run_one((bench, c, m, s))
                rec.pop("q", None)
                with out.open("a") as f:
                    f.write(json.dumps(rec) + "\n")
                print(c, m, s, {b: round(a["report"], 4) for b, a in rec["at"].items()},
                      rec.get("origins"), f"{rec['wall']:.0f}s", flush=True)
