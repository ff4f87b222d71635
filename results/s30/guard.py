"""Issue 13, session 30 screen: with a prior, what to do when the search stalls
(``restart_after`` = 100 queries without improvement): restart as before ("restart"), drop
the prior and go on without transfer on every query so far ("drop"). The "drop-restart"
rows of guard.jsonl (seeds 100-101: drop the prior and restart from a random sample) came
from a scratch version of surrogate.py that was never committed; that mode was not
adopted and the package no longer accepts it. Tuning only: prior meta-trained with seed 100,
search seeds FIRST.. (default 100).
python results/s30/guard.py OUT.jsonl PART TASKS NSEEDS BUDGET MODES"""
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_transfer as bt  # noqa: E402

for mode in ("restart", "drop"):
    bt.ADAPT[mode] = ("transfer", {}, {"prior_stall": mode})


def main() -> None:
    out, part, tasks, n, budget, modes = sys.argv[1:7]
    tasks, modes = tasks.split(","), modes.split(",")
    bt.OUT.mkdir(parents=True, exist_ok=True)
    pseed, first = int(os.environ.get("PRIOR_SEED", "100")), int(os.environ.get("FIRST", "100"))
    workers = int(os.environ.get("WORKERS", "1"))
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as pool, open(out, "a") as fh:
        fits = [(part, h, "transfer", pseed, "cpu") for h in tasks]
        priors = {h: {"transfer": [got]} for h, got in zip(tasks, pool.map(bt.meta_train, fits))}
        jobs = [(part, h, m, s, int(budget), priors[h], "cpu") for s in range(first, first + int(n))
                for h in tasks for m in modes]
        for rec in pool.map(bt.one_run, jobs):
            fh.write(json.dumps(rec) + "\n")
            fh.flush()
            print(rec["task"], rec["method"], rec["seed"], rec["q"], f"{rec['wall']:.0f}s", flush=True)


if __name__ == "__main__":
    main()
