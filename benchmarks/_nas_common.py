"""Shared machinery of the tabular NAS benchmarks (bench_nb201.py, bench_transnas.py).

A *method* is a named recipe (``generate`` preset and keyword arguments, random search or
REA); a *context* is a search problem (space, fitness source, what to report). Every run
queries through a fresh :class:`~ednag_opt.fitness.CachedFitness`, stops once ``budget``
distinct architectures were queried, and is summarised from ``cache.history`` truncated to
the first ``budget`` entries, so no method profits from overshooting the budget (the driver
finishes its last generation, up to popsize - 1 extra queries).
"""

from __future__ import annotations

import math
import os
import platform
import re
import subprocess
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import torch
from scipy import stats

from ednag_opt.fitness import CachedFitness
from ednag_opt.search import PRESETS, generate, search
from ednag_opt.spaces import SearchSpace

ROOT = Path(__file__).resolve().parents[1]
Record = dict[str, Any]


@dataclass(frozen=True)
class Method:
    """A search recipe. ``kind`` is ``"generate"``, ``"random"`` or ``"rea"``."""

    name: str
    kind: str = "generate"
    kwargs: dict[str, Any] = field(default_factory=dict)
    note: str = ""


#: Methods side by side: ours, the paper's configuration and its ablations, the baselines,
#: then the ablations of our default (one setting changed towards the paper's at a time).
METHODS: tuple[Method, ...] = (
    Method("ours (default)", kwargs={"preset": "default"}, note="N=10, T=30, novelty=parent"),
    Method("paper", kwargs={"preset": "paper"}, note="N=30, T=100, novelty=False, restarts"),
    Method("fd-selection", kwargs={"preset": "fd-selection"}),
    Method("fd", kwargs={"preset": "fd"}, note="no selection"),
    Method("naive", kwargs={"preset": "naive"}, note="identity map, no selection"),
    Method("random search", kind="random", note="uniform, without replacement"),
    Method("REA", kind="rea", note="P=20, S=5, one-edge mutation, aging"),
    Method("ours, novelty=False", kwargs={"preset": "default", "novelty": False}),
    Method("ours, novelty=mutate", kwargs={"preset": "default", "novelty": "mutate"}),
    Method("ours, N=30", kwargs={"preset": "default", "popsize": 30}),
    Method("ours, T=100", kwargs={"preset": "default", "num_steps": 100}),
)


def aliases() -> dict[str, str]:
    """Methods whose configuration equals an earlier one's (run once, reported for both)."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for m in METHODS:
        if m.kind != "generate":
            continue
        kw = dict(m.kwargs)
        preset = PRESETS[kw.pop("preset", "default")]
        novelty = kw.pop("novelty", preset.novelty)
        key = repr((preset.strategy.replace(**kw), novelty))
        if key in seen:
            out[m.name] = seen[key]
        else:
            seen[key] = m.name
    return out


def pick_methods(names: str | None) -> list[Method]:
    if not names:
        return list(METHODS)
    wanted = [s.strip() for s in names.split(",") if s.strip()]
    by = {m.name: m for m in METHODS}
    missing = [w for w in wanted if w not in by]
    if missing:
        raise SystemExit(f"unknown methods {missing}; choose from {list(by)}")
    return [by[w] for w in wanted]


def run_method(
    method: Method, space: SearchSpace, source: Any, seed: int, budget: int
) -> tuple[CachedFitness, float, float]:
    """One run; returns its cache, its wall time and its CPU time (s)."""
    t0, c0 = time.perf_counter(), time.process_time()
    cache = CachedFitness(source)
    if method.kind == "generate":
        generate(space, cache, seed=seed, max_queries=budget, **method.kwargs)
    elif method.kind == "random":
        search("random", space, cache, max_queries=budget, seed=seed)
    elif method.kind == "rea":
        search("rea", space, cache, max_queries=budget, seed=seed)
    else:
        raise ValueError(f"unknown method kind {method.kind!r}")
    return cache, time.perf_counter() - t0, time.process_time() - c0


def summarise(
    cache: CachedFitness,
    budget: int,
    optimum: float,
    report: Callable[[list[str]], Sequence[float]] | None,
) -> Record:
    """Queries to the optimum, the returned cell (best of the first ``budget`` queries) and
    the best-so-far curve (change points ``[position, searched value, reported value]``)."""
    hist = cache.history[:budget]
    q = cache.queries_to_reach(optimum)
    q = q if q is not None and q <= budget else None
    maximize = cache.maximize
    best_i, best_v, change = -1, None, []
    for i, (_, v) in enumerate(hist):
        if v == v and (best_v is None or (v > best_v if maximize else v < best_v)):
            best_i, best_v = i, v
            change.append(i)
    keys = [hist[i][0] for i in change]
    rep = [float(r) for r in report(keys)] if report is not None and keys else []
    curve = [[i + 1, hist[i][1], rep[j] if rep else hist[i][1]] for j, i in enumerate(change)]
    return {
        "q_opt": q,
        "arch": hist[best_i][0] if best_i >= 0 else None,
        "value": best_v,
        "report": curve[-1][2] if curve else math.nan,
        "unique_queries": cache.unique_queries,
        "total_queries": cache.total_queries,
        "curve": curve,
    }


# ----------------------------------------------------------------------------- parallel runs
_CONTEXTS: dict[str, dict[str, Any]] = {}


def _task(args: tuple[str, Method, int, int]) -> Record:
    ctx_key, method, seed, budget = args
    torch.set_num_threads(1)
    ctx = _CONTEXTS[ctx_key]
    try:
        cache, wall, cpu = run_method(method, ctx["space"], ctx["source"], seed, budget)
    except ValueError as exc:  # e.g. the identity map refuses signed fitness values
        return {"context": ctx_key, "method": method.name, "seed": seed, "error": str(exc)}
    rec = summarise(cache, budget, ctx["optimum"], ctx.get("report"))
    rec.update(context=ctx_key, method=method.name, seed=seed, wall=wall, cpu=cpu)
    return rec


def run_all(
    contexts: dict[str, dict[str, Any]],
    methods: Sequence[Method],
    seeds: Sequence[int],
    budget: int,
    workers: int,
    progress: Callable[[Record, int, int], None] | None = None,
) -> list[Record]:
    """Every (context, method, seed) run; contexts are loaded before forking workers."""
    _CONTEXTS.clear()
    _CONTEXTS.update(contexts)
    skip = aliases()
    tasks = [
        (c, m, s, budget) for c in contexts for m in methods if m.name not in skip for s in seeds
    ]
    out: list[Record] = []
    if workers <= 1:
        results: Any = map(_task, tasks)
        for rec in results:
            out.append(rec)
            if progress:
                progress(rec, len(out), len(tasks))
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("fork")) as ex:
            for rec in ex.map(_task, tasks, chunksize=4):
                out.append(rec)
                if progress:
                    progress(rec, len(out), len(tasks))
    for alias, original in skip.items():  # identical configurations: copy the rows
        if any(m.name == alias for m in methods):
            out += [{**r, "method": alias} for r in out if r["method"] == original]
    return out


# ----------------------------------------------------------------------------- statistics
def ci95(values: Sequence[float]) -> tuple[float, float]:
    """Mean and half-width of the 95% Student-t confidence interval."""
    x = np.asarray([v for v in values if v == v], dtype=np.float64)
    if x.size == 0:
        return math.nan, math.nan
    if x.size == 1 or float(x.std()) == 0.0:
        return float(x.mean()), 0.0
    half = stats.t.ppf(0.975, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size)
    return float(x.mean()), float(half)


def median_queries(qs: Sequence[int | None], budget: int) -> tuple[float, float, float]:
    """Median and quartiles of queries to the optimum; misses count as +inf (> budget)."""
    x = np.array([math.inf if q is None else q for q in qs], dtype=np.float64)
    return _q(x, 0.5), _q(x, 0.25), _q(x, 0.75)


def _q(x: np.ndarray, p: float) -> float:
    """Quantile (linear interpolation) that stays +inf when an infinite value is involved."""
    s = np.sort(x)
    pos = p * (len(s) - 1)
    lo, hi = int(math.floor(pos)), int(math.ceil(pos))
    if math.isinf(s[lo]) or math.isinf(s[hi]):
        return math.inf
    return float(s[lo] + (s[hi] - s[lo]) * (pos - lo))


def fmt_q(v: float, budget: int) -> str:
    return f">{budget}" if math.isinf(v) else f"{v:.0f}"


# ----------------------------------------------------------------------------- reporting
def md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def print_table(title: str, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for h in header:
        t.add_column(h)
    for r in rows:
        t.add_row(*r)
    Console(width=200).print(t)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, torch {torch.__version__} (CPU)"


def git_rev() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "?"


def update_section(path: Path, name: str, text: str) -> None:
    """Replace the text between ``<!-- BEGIN name -->`` and ``<!-- END name -->`` (append
    the block when the markers are missing)."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    old = path.read_text() if path.exists() else "# Results on tabular NAS benchmarks\n"
    pat = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
    new = pat.sub(lambda _: block, old) if pat.search(old) else old.rstrip() + "\n\n" + block
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new.rstrip() + "\n")
