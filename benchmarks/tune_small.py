"""Small-budget tuning runs of issue #18: one EDNAG configuration on TransNAS or NB201.

Runs ``search("ednag", space, CachedFitness(source), max_queries=B, seed=s, **options)``
on the problems of ``bench_searchers.problems(bench)`` exactly as ``bench_searchers.run_one``
does and appends one JSON line per run to ``results/t18/<bench>-<label>.jsonl`` in the
format of ``results/search/<bench>.json``. ``--summary`` compares labels on their common
seeds, paired by (problem, seed) against the first label (mean difference and a Wilcoxon
signed-rank p); on ``transnas`` it also counts, per budget, the cells (of 14) a
configuration wins or ties at the optimum against REA, local search, random and TPE (their
tuning runs in ``results/search/transnas.json``, counted like ``_search_report``). For
tuning seeds only (100-199)::

    python benchmarks/tune_small.py base '{}' --seeds 100-119
    python benchmarks/tune_small.py bal '{"start": "balanced"}' --seeds 100-119
    python benchmarks/tune_small.py --summary base,bal --seeds 100-119
    python benchmarks/tune_small.py base '{}' --bench nb201 --seeds 100-119
    python benchmarks/tune_small.py s9rea --method REA --bench nb201-noisy --seeds 100-139
    python benchmarks/tune_small.py --bench nb201 --problems cifar10 --seeds 100-159 \\
        --from results/s9d/tuning/nb201.json \\
        --summary "ednag default,ednag default + distinct networks"
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import torch
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_searchers as bench  # noqa: E402
from _search_report import _outcome, _share  # noqa: E402

OUT = bench.ROOT / "results" / "t18"
SMALL = ("transnas", "nb201", "nb201-noisy")


def run(bench_name: str, label: str, opts: dict[str, Any], seeds: list[int],
        only: list[str] | None, budget: int | None = None,
        method: str | None = None) -> None:  # fmt: skip
    """One run per (seed, problem), appended to ``results/t18/<bench>-<label>.jsonl``.

    Args:
        bench_name: ``"transnas"``, ``"nb201"`` or ``"nb201-noisy"``.
        label: the configuration's name (the file name and each record's ``method``).
        opts: options of ``search("ednag", ...)``.
        seeds: tuning seeds (100-199).
        only: substrings of problem names to keep (``None``: all).
        budget: ``max_queries`` of each run, reported at the benchmark's budgets up to it
            (``None``: the benchmark's largest budget, as in ``bench_searchers``).
        method: a label of ``bench_searchers.METHODS`` to run instead of ``"ednag"`` with
            ``opts`` (e.g. ``"REA"``: the baselines' tuning runs).

    Raises:
        SystemExit: on a reported seed (below 100).
    """
    if method is not None and method not in bench.METHODS:
        raise SystemExit(f"unknown method {method!r}; choose from {list(bench.METHODS)}")
    if any(s < 100 for s in seeds):
        raise SystemExit("tuning runs take seeds 100-199 only (0-99 are reported seeds)")
    bench._CTX.clear()
    bench._CTX.update(bench.problems(bench_name, False))
    for p in bench._CTX.values() if budget else ():
        p["budgets"] = [b for b in p["budgets"] if b <= budget] or [budget]
    if method is None:
        bench.METHODS[label] = ("ednag", opts)
    else:  # a row of bench_searchers.METHODS (a baseline) under this label
        bench.METHODS[label] = bench.METHODS[method]
    probs = [k for k in bench._CTX if not only or any(o in k for o in only)]
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{bench_name}-{label}.jsonl", "a") as fh:
        for s in seeds:
            t0 = time.perf_counter()
            for p in probs:
                rec = bench.run_one((bench_name, p, label, s))
                fh.write(json.dumps({**rec, "options": opts}) + "\n")
            fh.flush()
            print(f"{bench_name} {label} seed {s}: {time.perf_counter() - t0:.0f} s", flush=True)


def _load(bench_name: str, label: str,
          src: Path | None = None) -> dict[tuple[str, int], dict[str, Any]]:  # fmt: skip
    """Runs of one label: ``results/t18/<bench>-<label>.jsonl``, or the rows of that
    method in a raw file of ``bench_searchers`` (``src``, e.g. an ``--out`` folder's)."""
    if src is not None:
        recs = [r for r in json.loads(src.read_text()) if r["method"] == label]
        if not recs:
            raise SystemExit(f"no runs of {label!r} in {src}")
        return {(r["problem"], r["seed"]): r for r in recs}
    path = OUT / f"{bench_name}-{label}.jsonl"
    if not path.exists():
        raise SystemExit(f"no runs of {label!r} ({path})")
    return {(r["problem"], r["seed"]): r for r in map(json.loads, path.read_text().splitlines())}


def _value(rec: dict[str, Any], budget: str) -> float:
    if budget == "q":
        return math.inf if rec["q_opt"] is None else float(rec["q_opt"])
    return float(rec["at"][budget]["report"])


def _won(bench_name: str, recs: list[dict[str, Any]], seeds: set[int], budget: str) -> str:
    """Cells won or tied at the optimum against the baselines' tuning runs (transnas)."""
    if bench_name != "transnas":
        return ""
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in json.loads((bench.RAW / "transnas.json").read_text()):
        if r["seed"] in seeds and r["method"] in bench.BASELINES:
            by[(r["problem"], r["method"])].append(r)
    for r in recs:
        by[(r["problem"], "ednag default")].append(r)
    probs = sorted({p for p, _ in by})
    out = [_outcome(by, p, budget, "transnas", bench.BASELINES) for p in probs]
    return f"{sum(o in ('win', 'tie at the optimum') for o in out):2d}/{len(probs)} "


def summary(bench_name: str, labels: list[str], seeds: list[int] | None,
            only: list[str] | None = None, src: Path | None = None) -> None:  # fmt: skip
    """Print, per label and budget, cells won (transnas), the median or mean of the
    reported value, and its paired difference to the first label; ``only`` keeps the
    problems whose names contain one of its strings; ``src`` reads a raw file of
    ``bench_searchers`` instead of ``results/t18`` (then no cell counts).

    Args:
        bench_name: ``"transnas"``, ``"nb201"`` or ``"nb201-noisy"``.
        labels: the configurations, the first is the reference of the paired tests.
        seeds: keep these seeds (``None``: every common seed).
        only: problem names (exact) or substrings of them to keep (``None``: all).
        src: the raw file, or ``None`` for ``results/t18/<bench>-<label>.jsonl``.
    """
    runs = {lab: _load(bench_name, lab, src) for lab in labels}
    keys = set.intersection(*(set(v) for v in runs.values()))
    if seeds:
        keys = {k for k in keys if k[1] in seeds}
    if only:  # a full problem name keeps that problem only ("cifar10", not "cifar100")
        names = {k[0] for k in keys}
        keys = {k for k in keys if any(o == k[0] or (o not in names and o in k[0])
                                       for o in only)}  # fmt: skip
    common = {s for _, s in keys}
    print(f"{bench_name}: seeds {min(common)}..{max(common)} ({len(common)}), {len(keys)} runs")
    budgets = ["q"] if bench_name == "nb201" else sorted(
        next(iter(runs[labels[0]].values()))["at"], key=int)  # fmt: skip
    ref = runs[labels[0]]
    for lab, allr in runs.items():
        recs = [allr[k] for k in sorted(keys)]
        parts = []
        for b in budgets:
            mine = np.array([_value(r, b) for r in recs])
            diff = mine - np.array([_value(ref[k], b) for k in sorted(keys)])
            diff = np.nan_to_num(diff, posinf=1e4, neginf=-1e4)
            p = stats.wilcoxon(diff).pvalue if np.any(diff) else 1.0
            stat = (f"median {np.median(mine):.0f}, hits {np.isfinite(mine).mean():.0%}"
                    if b == "q" else f"mean {np.mean(mine):.4f}")  # fmt: skip
            won = "" if src else _won(bench_name, recs, common, b)
            parts.append(f"@{b}: {won}{stat} "
                         f"({np.mean(diff):+.4f}, p {p:.2g})")  # fmt: skip
        print(f"{lab:>14s} | " + " | ".join(parts) + f" | diffusion {_share(recs)}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("label", nargs="?")
    ap.add_argument("options", nargs="?", default="{}", help="JSON object of ednag options")
    ap.add_argument("--bench", default="transnas", choices=SMALL)
    ap.add_argument("--seeds", default="100-119")
    ap.add_argument("--problems", default=None, help="substrings of problem names to keep")
    ap.add_argument("--budget", type=int, default=None, help="max_queries of each run")
    ap.add_argument("--summary", default=None, help="comma list of labels to compare")
    ap.add_argument("--method", default=None,
                    help="run this bench_searchers.METHODS row (e.g. REA) instead of ednag")
    ap.add_argument("--from", dest="src", default=None,
                    help="with --summary: a raw file of bench_searchers (e.g. --out's)")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    seeds = bench.parse_seeds(args.seeds)
    only = args.problems.split(",") if args.problems else None
    if args.summary:
        summary(args.bench, args.summary.split(","), seeds, only,
                Path(args.src) if args.src else None)  # fmt: skip
        return
    if not args.label:
        raise SystemExit("give a label and its options, or --summary")
    run(args.bench, args.label, json.loads(args.options), seeds, only, args.budget, args.method)


if __name__ == "__main__":
    main()
