"""Session 21 screen (#13): how many of each round's queries to take from recombinations.

Tuning only: TransNAS micro/macro, one prior per held-out task meta-trained with seed 100,
search seeds 100..(100+n-1); REA and TPE on the same seeds.
Usage: python results/s21/tnb_screen.py OUT.jsonl PART[,PART] NSEEDS METHOD[,METHOD]
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
import bench_transfer as bt  # noqa: E402

bt.ADAPT.update({
    "rec1": ("transfer", {}, {"recombine": 1}),
    "rec2": ("transfer", {}, {"recombine": 2}),
    "rec3": ("transfer", {}, {"recombine": 3}),
})
if os.environ.get("ADAPTIVE"):
    sys.path.insert(0, str(ROOT / "results" / "s21"))
    import adaptive  # noqa: E402

    adaptive.install(*map(int, os.environ["ADAPTIVE"].split(",")))
if os.environ.get("SOFT"):
    sys.path.insert(0, str(ROOT / "results" / "s21"))
    import soft_rec  # noqa: E402

    soft_rec.install(int(os.environ["SOFT"]))
if os.environ.get("TEMPER"):
    sys.path.insert(0, str(ROOT / "results" / "s21"))
    import tempered  # noqa: E402

    tempered.install(float(os.environ["TEMPER"]))
if os.environ.get("UCB_DECAY"):
    sys.path.insert(0, str(ROOT / "results" / "s21"))
    import ucb_decay  # noqa: E402

    ucb_decay.install(*map(float, os.environ["UCB_DECAY"].split(",")))
for name, extra in json.loads(sys.argv[5] if len(sys.argv) > 5 else "{}").items():
    # {"search": {...search options}, "prior": {...attributes set on the prior}} or search options
    if "search" in extra or "prior" in extra:
        bt.ADAPT[name] = ("transfer", extra.get("prior", {}), extra.get("search", {}))
    else:
        bt.ADAPT[name] = ("transfer", {}, extra)


def main() -> None:
    out, parts, n, methods = sys.argv[1], sys.argv[2].split(","), int(sys.argv[3]), sys.argv[4].split(",")
    bt.OUT.mkdir(parents=True, exist_ok=True)
    ctx = get_context("fork")
    with ProcessPoolExecutor(2, mp_context=ctx) as pool, open(out, "a") as fh:
        for part in parts:
            tasks = bt.tasks_of(part)
            pseed = int(os.environ.get("PRIOR_SEED", "100"))
            fits = [(part, h, "transfer", pseed, "cpu") for h in tasks]
            priors = {h: {"transfer": [got]} for h, got in zip(tasks, pool.map(bt.meta_train, fits))}
            first = int(os.environ.get("FIRST_SEED", "100"))
            jobs = [(part, h, m, s, 100, priors[h], "cpu") for s in range(first, first + n)
                    for h in tasks for m in methods]
            for rec in pool.map(bt.one_run, jobs):
                fh.write(json.dumps(rec) + "\n")
                fh.flush()


if __name__ == "__main__":
    main()
