"""NAS-Bench-201 in surrogate mode: ``search("surrogate", ...)`` vs REA and plain ``generate``.

Search on the validation accuracy (``NB201Fitness(ds, metric="val")``), report the TEST
accuracy of the returned cell (the best-by-validation architecture of the first ``budget``
unique real queries). Three datasets, seeds 0..N-1 (none selected). Per method: median
unique real queries to the validation optimum (any tied architecture counts; misses count
as > budget), hit rate within ``budget`` (500), test accuracy (mean and 95% t interval)
and wall time per run, predictor fitting and searching included.

Every run stops as soon as the optimum is queried (or at the budget): later queries cannot
change the queries-to-optimum or the returned cell, and this keeps the surrogate runs short.
Wall times are for that stopping rule, for every method alike.

Design iteration runs named variants of the surrogate method on TUNING seeds (1000 + i), so
the reported seeds 0..N-1 played no part in choosing the configuration.

Usage::

    python benchmarks/bench_surrogate.py                  # 20 seeds x 3 datasets x 3 methods
    python benchmarks/bench_surrogate.py --quick          # variants, 8 tuning seeds, no doc
    python benchmarks/bench_surrogate.py --quick --variants default,ucb --datasets cifar10
    python benchmarks/bench_surrogate.py --ablation       # all variants, writes the ablation
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nas_common import (  # noqa: E402
    ci95,
    fmt_q,
    machine,
    md_table,
    median_queries,
    print_table,
    update_section,
)

from ednag_opt.fitness import CachedFitness, NB201Fitness  # noqa: E402
from ednag_opt.search import generate, search  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "results" / "surrogate_runs.json"
DOC = ROOT / "docs" / "results_surrogate.md"
DATASETS = ("cifar10", "cifar100", "ImageNet16-120")
TUNING_SEED = 1000

#: Surrogate-mode configurations compared in the ablation; "default" is what the main table
#: (and the surrogate searcher's defaults) use. Each entry: keyword arguments, note.
VARIANTS: dict[str, tuple[dict[str, Any], str]] = {
    "default": ({}, "the defaults of the surrogate searcher"),
    "pairwise": ({"surrogate": {"features": "pairwise"}}, "one-hot + pairwise row features"),
    "mse": ({"surrogate": {"loss": "mse"}}, "squared error instead of the ranking loss"),
    "bootstrap": ({"surrogate": {"bootstrap": True}}, "Bayesian-bootstrap weights per member"),
    "top-weight-3": ({"surrogate": {"top_weight": 3.0}}, "ranking pairs among good archs x20"),
    "ucb": ({"acquisition": "ucb"}, "mean + 1 std of the ensemble"),
    "k=5": ({"per_round": 5}, "5 real queries per round"),
    "k=10": ({"per_round": 10}, "10 real queries per round"),
    "init=20": ({"init": 20}, "20 random initial queries"),
    "init=20+ucb": ({"init": 20, "acquisition": "ucb"}, "20 initial queries and ucb"),
    "no-restart": ({"restart_after": None}, "never restart"),
    "exhaustive": ({"optimizer": "exhaustive"}, "acquisition maximised over all 15,625 cells"),
}
METHOD = "surrogate (ours)"
BASELINES = ("REA", "generate (default)")


class _Hit(Exception):
    """Raised by :class:`_StopCache` once the optimum has been queried."""


class _StopCache(CachedFitness):
    """A cache that stops the search (after recording the batch) when ``target`` is hit."""

    def __init__(self, source: Any, target: float) -> None:
        super().__init__(source)
        self.target = target

    def __call__(self, archs):  # type: ignore[override]
        out = super().__call__(archs)
        if bool((out >= self.target).any()):
            raise _Hit
        return out


_CTX: dict[str, dict[str, Any]] = {}


def _load(datasets: list[str]) -> None:
    space = get_space("nas-bench-201")
    for ds in datasets:
        f = NB201Fitness(ds, metric="val")
        _CTX[ds] = {"space": space, "fitness": f, "optimum": f.optimum().value}


def _run(task: tuple[str, str, str, int, int]) -> dict[str, Any]:
    ds, method, variant, seed, budget = task
    torch.set_num_threads(1)
    ctx = _CTX[ds]
    space, f, opt = ctx["space"], ctx["fitness"], ctx["optimum"]
    cache = _StopCache(f, opt)
    rounds, fit_t, search_t = 0, 0.0, 0.0
    t0 = time.perf_counter()
    try:
        if method == METHOD:
            hist: list[dict[str, Any]] = []
            kw = VARIANTS[variant][0]
            try:
                search(
                    "surrogate", space, cache, max_queries=budget, seed=seed,
                    callback=hist.append, **kw,
                )
            finally:
                rounds = max((h.get("round", 0) for h in hist), default=0)
                fit_t = sum(h.get("fit_time", 0.0) for h in hist)
                search_t = sum(h.get("search_time", 0.0) for h in hist)
        elif method == "REA":
            search("rea", space, cache, max_queries=budget, seed=seed)
        elif method == "generate (default)":
            generate(space, cache, max_queries=budget, seed=seed, preset="default")
        else:
            raise ValueError(method)
    except _Hit:
        pass
    wall = time.perf_counter() - t0
    hist_q = cache.history[:budget]
    q = cache.queries_to_reach(opt)
    best = max(range(len(hist_q)), key=lambda i: hist_q[i][1])
    arch = hist_q[best][0]
    return {
        "dataset": ds,
        "method": method,
        "variant": variant,
        "seed": seed,
        "q_opt": q if q is not None and q <= budget else None,
        "arch": arch,
        "val": hist_q[best][1],
        "test": float(f.test_accuracy([arch])[0]),
        "wall": wall,
        "rounds": rounds,
        "fit_time": fit_t,
        "search_time": search_t,
    }


def run_tasks(tasks: list[tuple[str, str, str, int, int]], workers: int) -> list[dict[str, Any]]:
    """Every task, in ``workers`` forked processes; prints one line per run."""
    out: list[dict[str, Any]] = []

    def show(r: dict[str, Any]) -> None:
        out.append(r)
        q = r["q_opt"] if r["q_opt"] is not None else "miss"
        print(
            f"[{len(out)}/{len(tasks)}] {r['dataset']:15s} {r['method']:19s} {r['variant']:14s} "
            f"seed {r['seed']:4d}: q={q} test={r['test']:.2f} {r['wall']:.1f}s",
            flush=True,
        )

    if workers <= 1:
        for t in tasks:
            show(_run(t))
        return out
    with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as ex:
        for fut in as_completed([ex.submit(_run, t) for t in tasks]):
            show(fut.result())
    return out


# ----------------------------------------------------------------------------- reporting
def _ft(m: float, h: float) -> str:
    return f"{m:.2f} ± {h:.2f}" if m < 10 else f"{m:.1f} ± {h:.1f}"


def summary_rows(
    recs: list[dict[str, Any]], keys: list[tuple[str, str]], budget: int, ds: str
) -> list[list[str]]:
    """Table rows for (method, variant) pairs on one dataset."""
    rows = []
    for method, variant in keys:
        rs = [r for r in recs if (r["dataset"], r["method"], r["variant"]) == (ds, method, variant)]
        if not rs:
            continue
        qs = [r["q_opt"] for r in rs]
        med, q25, q75 = median_queries(qs, budget)
        hits = sum(q is not None for q in qs)
        m, h = ci95([r["test"] for r in rs])
        name = method if method != METHOD or variant == "default" else f"{method}: {variant}"
        rows.append(
            [
                name,
                f"{fmt_q(med, budget)} ({fmt_q(q25, budget)}–{fmt_q(q75, budget)})",
                f"{hits}/{len(rs)} ({100 * hits / len(rs):.0f}%)",
                f"{m:.2f} ± {h:.2f}",
                _ft(*ci95([r["wall"] for r in rs])),
            ]
        )
    return rows


HEADER = [
    "method",
    "median queries to optimum (IQR)",
    "hits within budget",
    "test acc. of returned cell",
    "wall s / run",
]


def targets_table(recs: list[dict[str, Any]], datasets: list[str], budget: int) -> str:
    """Pass/miss of the issue's targets for the default surrogate method."""

    def per(ds: str, method: str) -> list[dict[str, Any]]:
        return [r for r in recs if r["dataset"] == ds and r["method"] == method]

    med = {ds: median_queries([r["q_opt"] for r in per(ds, METHOD)], budget)[0] for ds in datasets}
    rea = {ds: median_queries([r["q_opt"] for r in per(ds, "REA")], budget)[0] for ds in datasets}
    hit = {ds: 100 * np.mean([r["q_opt"] is not None for r in per(ds, METHOD)]) for ds in datasets}
    rows = [
        "| target | result | verdict |",
        "|---|---|---|",
        "| median unique real queries to the validation optimum <= 100 | "
        + ", ".join(f"{ds} {fmt_q(med[ds], budget)}" for ds in datasets)
        + " (REA: "
        + ", ".join(fmt_q(rea[ds], budget) for ds in datasets)
        + ") | "
        + ", ".join("PASS" if med[ds] <= 100 else "**MISS**" for ds in datasets)
        + " |",
        f"| hit rate >= 95% within {budget} | "
        + ", ".join(f"{ds} {hit[ds]:.0f}%" for ds in datasets)
        + " | "
        + ", ".join("PASS" if hit[ds] >= 95 else "**MISS**" for ds in datasets)
        + " |",
    ]
    return "\n".join(rows)


def report(
    recs: list[dict[str, Any]],
    keys: list[tuple[str, str]],
    datasets: list[str],
    budget: int,
    title: str,
) -> str:
    """Print one table per dataset; return them as markdown."""
    parts = []
    for ds in datasets:
        rows = summary_rows(recs, keys, budget, ds)
        print_table(f"{title}: {ds}", HEADER, rows)
        parts.append(f"**{ds}**\n\n{md_table(HEADER, rows)}")
    return "\n\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="variants on 8 tuning seeds, no doc")
    ap.add_argument("--ablation", action="store_true", help="variants on tuning seeds -> doc")
    ap.add_argument("--seeds", type=int, default=None, help="20 (main), 8 (quick), 10 (ablation)")
    ap.add_argument("--budget", type=int, default=500)
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--variants", default=None, help="comma-separated VARIANTS keys")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-doc", action="store_true")
    a = ap.parse_args()
    datasets = [d.strip() for d in a.datasets.split(",") if d.strip()]
    tuning = a.quick or a.ablation
    n = a.seeds or (8 if a.quick else 10 if a.ablation else 20)
    seeds = [TUNING_SEED + i for i in range(n)] if tuning else list(range(n))
    variants = a.variants.split(",") if a.variants else (list(VARIANTS) if tuning else ["default"])
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown:
        raise SystemExit(f"unknown variants {unknown}; choose from {list(VARIANTS)}")
    keys = [(METHOD, v) for v in variants] + ([] if tuning else [(b, "-") for b in BASELINES])
    tasks = [(ds, m, v, s, a.budget) for m, v in keys for ds in datasets for s in seeds]
    _load(datasets)
    torch.optim.Adam([torch.zeros(1, requires_grad=True)])  # import torch._dynamo once
    t0 = time.time()
    recs = run_tasks(tasks, a.workers)
    wall = time.time() - t0
    print(f"{len(tasks)} runs in {wall / 60:.1f} min")
    name = "ablation" if a.ablation else "quick" if a.quick else "main"
    RAW.parent.mkdir(parents=True, exist_ok=True)
    RAW.with_name(f"surrogate_{name}.json").write_text(json.dumps(recs, indent=1))
    body = report(recs, keys, datasets, a.budget, name)
    if a.quick or a.no_doc:
        return
    argv = " ".join(sys.argv[1:])
    head = (
        f"Command: `python benchmarks/bench_surrogate.py {argv}`; seeds "
        f"{seeds[0]}..{seeds[-1]}; budget {a.budget} unique real queries; {len(tasks)} runs "
        f"in {wall / 60:.1f} min wall; {machine()}, {a.workers} worker processes with one "
        f"torch thread each; {dt.date.today()}."
    )
    if a.ablation:
        notes = "\n".join(f"- `{v}`: {VARIANTS[v][1]}" for v in variants)
        update_section(DOC, "ABLATION", f"{head}\n\n{notes}\n\n{body}")
    else:
        tgt = targets_table(recs, datasets, a.budget)
        update_section(DOC, "MAIN", f"{head}\n\n{tgt}\n\n{body}")


if __name__ == "__main__":
    main()
