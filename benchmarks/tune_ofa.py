"""MobileNetV3 tuning runs of issue #18: one searcher configuration on the OFA cells.

Runs ``search(searcher, space, CachedFitness(source), max_queries=..., seed=s, **options)``
on the problems of ``bench_searchers.problems("ofa")`` (``acc``: unconstrained, ``acc@25ms``:
under 25 ms Note10 latency) and prints one JSON line per run: the predicted top-1 of the
returned cell at 1,000 and (when the budget reaches it) 10,000 calls, as in
``bench_searchers``, and the share of queries labelled ``"diffusion"``. For tuning seeds
only (100-199); docs/results_search.md ("Session 6") lists the commands it ran, e.g.::

    python benchmarks/tune_ofa.py t100 '{"num_steps": 100}' --seeds 120-139 --budget 1000
    python benchmarks/tune_ofa.py REA '{"population": 100, "sample": 10}' --searcher rea
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_searchers as bench  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.fitness import CachedFitness  # noqa: E402


def run(label: str, opts: dict, seeds: list[int], cells: list[str], budget: int,
        searcher: str = "ednag") -> list[dict]:  # fmt: skip
    """One run per (seed, cell); returns (and prints) one record per run.

    Args:
        label: a name for the configuration, copied into each record.
        opts: the searcher's options.
        seeds: tuning seeds (100-199).
        cells: problem names of ``bench_searchers.problems("ofa")``.
        budget: ``max_queries`` of each run (reported at 1,000 and 10,000 when reached).
        searcher: a key of ``SEARCHERS``.

    Returns:
        Records ``{"label", "cell", "seed", "r": {budget: top-1}, "share", "t"}``.

    Raises:
        SystemExit: on a reported seed (below 100) or an unknown cell.
    """
    if any(s < 100 for s in seeds):
        raise SystemExit("tuning runs take seeds 100-199 only (0-99 are reported seeds)")
    probs = bench.problems("ofa", False)
    unknown = sorted(set(cells) - set(probs))
    if unknown:
        raise SystemExit(f"unknown cells {unknown}; choose from {sorted(probs)}")
    out = []
    for s in seeds:
        for c in cells:
            p, t0 = probs[c], time.perf_counter()
            res = search(searcher, p["space"], CachedFitness(p["source"]), max_queries=budget,
                         seed=s, **opts)  # fmt: skip
            at = {b: round(bench._returned(p, res.queries[:b])["report"], 3)
                  for b in (1000, 10000) if b <= budget}  # fmt: skip
            o = res.metadata["origins"]
            rec = {"label": label, "cell": c, "seed": s, "r": at,
                   "share": round(o.get("diffusion", 0) / max(sum(o.values()), 1), 3),
                   "t": round(time.perf_counter() - t0, 1)}  # fmt: skip
            print(json.dumps(rec), flush=True)
            out.append(rec)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("label")
    ap.add_argument("options", help="JSON object of the searcher's options")
    ap.add_argument("--seeds", default="120-139")
    ap.add_argument("--cells", default="acc,acc@25ms")
    ap.add_argument("--budget", type=int, default=10000)
    ap.add_argument("--searcher", default="ednag")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    run(args.label, json.loads(args.options), bench.parse_seeds(args.seeds),
        args.cells.split(","), args.budget, args.searcher)  # fmt: skip


if __name__ == "__main__":
    main()
