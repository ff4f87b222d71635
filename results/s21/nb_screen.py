"""Session 21 screen (#13), NB201 leave one dataset out on tuning priors: priors meta-trained
with seeds 100..105 (the benchmark's settings); search seed 100 + i uses prior 100 + i mod 6.
With REPORTED=1: the benchmark's reported protocol instead (search seed i, prior i mod 2 of
priors 0 and 1).
Usage: UCB_DECAY=40,10 python results/s21/nb_screen.py OUT.jsonl DATASETS NSEEDS METHODS [VARIANTS]
"""
from __future__ import annotations

import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "results" / "s21"))
import bench_transfer as bt  # noqa: E402

if os.environ.get("UCB_DECAY"):
    import ucb_decay  # noqa: E402

    ucb_decay.install(*map(float, os.environ["UCB_DECAY"].split(",")))
REPORTED = os.environ.get("REPORTED") == "1"  # seeds 0.., priors 0 and 1 (the benchmark's)
for name, extra in json.loads(sys.argv[5] if len(sys.argv) > 5 else "{}").items():
    bt.ADAPT[name] = ("transfer", {}, extra)


def main() -> None:
    out, helds, n, methods = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), sys.argv[4].split(",")
    bt.OUT.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(2, mp_context=get_context("fork")) as pool, open(out, "a") as fh:
        for h in helds:
            pseeds = range(0, 2) if REPORTED else range(100, 106)
            fits = [("nb201", h, "transfer", s, "cpu") for s in pseeds]
            got = list(pool.map(bt.meta_train, fits))
            jobs = []
            for i in range(n):
                prior = {"transfer": [got[i % len(got)]]}
                seed = i if REPORTED else 100 + i
                jobs += [("nb201", h, m, seed, 100, prior, "cpu") for m in methods]
            for rec in pool.map(bt.one_run, jobs):
                fh.write(json.dumps(rec) + "\n")
                fh.flush()


if __name__ == "__main__":
    main()
