"""Every searcher of ``SEARCHERS`` on every benchmark of issue #18, one protocol, one table.

Benchmarks (``--bench``):

* ``nb201``: NAS-Bench-201 (cifar10, cifar100, ImageNet16-120), seed-mean validation
  accuracy: unique queries to the validation optimum (any tie) within 1,000; hit rate.
* ``nb201-noisy``: the same space, searching ONE training seed's validation accuracy
  (``NB201Fitness(ds, noisy=True, seed=run seed)``): test accuracy (seed mean) of the
  returned cell at budgets 50, 100, 300.
* ``transnas``: TransNAS-Bench-101 micro and macro, 7 tasks each: normalised regret
  ``(best - value) / (best - worst)`` over the table of the returned cell at 50, 100, 300.
* ``ofa``: MobileNetV3 with OFA's accuracy predictor, unconstrained and under 25 ms Note10
  latency (``LatencyConstrained``): predicted top-1 (feasible only) at 1,000 and 10,000
  calls. TPE runs to 1,000 calls only (its sampler's cost grows with the trials).

Protocol: every run goes through its own ``CachedFitness`` via ``search(name, ...)``; the
returned cell at budget B is the best (by the searched value) of the run's first B unique
queries; nobody is told the optimum (on ``nb201`` the run is cut once the optimum was
queried: the searchers never read the target, so the queries before it are the same).
On ``nb201-noisy`` the rows of ``MODEL_RETURN`` return ``res.recommend(B)`` instead (the
queried cell with the best posterior mean of a GP fitted on the observed values; session
9), and ``DERIVED`` rows show the same runs with the other rule: the default's best
observed cell (its ablation) and each baseline with the model recommendation.
Medians with bootstrap 95% intervals, hit rates, a two-sided Mann-Whitney p-value against
``ednag default`` and the share of queries that came from the diffusion step. The rows
``... + distinct networks`` (session 9) are the default and each baseline with
``distinct="networks"`` (one query per network), run only on the problems whose space has
``canonicalize`` (NB201, TransNAS micro); ``--show --default`` counts their cells.

Usage::

    python benchmarks/bench_searchers.py --bench nb201 --seeds 0-19      # report seeds
    python benchmarks/bench_searchers.py --bench nb201 --seeds 100-119 --methods ...  # tuning
    python benchmarks/bench_searchers.py --doc       # docs/results_search.md from results/
    python benchmarks/bench_searchers.py --doc --out results/s17/search  # from that folder
    python benchmarks/bench_searchers.py --quick     # 2 seeds, small budgets, no files
    python benchmarks/bench_searchers.py --bench nb201-noisy --seeds 20-39 --out results/s9n/heldout
    python benchmarks/bench_searchers.py --show results/s9n/heldout/nb201-noisy.json
    python benchmarks/bench_searchers.py --show results/search/nb201.json --seeds 0-19 \\
        --default "ednag default + distinct networks"
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nas_common import ROOT  # noqa: E402
from _search_report import write_doc  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.fitness import CachedFitness  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

RAW = ROOT / "results" / "search"
#: label -> (searcher, options). The first is the default the others are tested against.
METHODS: dict[str, tuple[str, dict[str, Any]]] = {
    "ednag default": ("ednag", {}),
    "ednag paper": ("ednag", {"preset": "paper"}),
    "ednag repair-only (no diffusion)": ("ednag", {"preset": "repair-only"}),
    "ednag no renoise (session-15 default)": ("ednag", {"preset": "no-renoise"}),
    "ednag random start (session-7 default)": ("ednag", {"preset": "random-start"}),
    "ednag fixed-steps (T = 30 at any budget)": ("ednag", {"preset": "fixed-steps"}),
    "ednag unguided (former default)": ("ednag", {"preset": "unguided"}),
    "ednag unguided repair-only": ("ednag", {"preset": "unguided-repair-only"}),
    "ednag penalty (session-6 default)": ("ednag", {"constraints": "penalty"}),
    "ednag split (session-18 default)": ("ednag", {"constraints": "split"}),
    "REA": ("rea", {}),
    "local search": ("local", {}),
    "random": ("random", {}),
    "TPE": ("tpe", {}),
}
BASELINES = ("REA", "local search", "random", "TPE")
#: Session 9: one query per network (``search(..., distinct="networks")``) for the default
#: and every baseline, as rows (not a change of the default). Run only on problems whose
#: space has ``canonicalize`` (NB201, TransNAS micro); other tasks are skipped.
NETWORKS = " + distinct networks"
NET_DEFAULT = "ednag default" + NETWORKS
NET_BASELINES = tuple(b + NETWORKS for b in BASELINES)
METHODS.update({lab: (METHODS[lab[: -len(NETWORKS)]][0], {"distinct": "networks"})
                for lab in (NET_DEFAULT, *NET_BASELINES)})  # fmt: skip
#: nb201-noisy (session 9): rows whose returned cell is ``res.recommend(B)`` (rule
#: ``"model"``: the queried cell with the best posterior mean of a GP fitted on the
#: observed values, ``search.recommend``) instead of the best observed value.
MODEL_RETURN = ("ednag default", "ednag repair-only (no diffusion)",
                "ednag no renoise (session-15 default)", NET_DEFAULT)  # fmt: skip
#: Rows derived from the same runs with the other return rule (no extra search): the
#: default returning its best observed cell (the ablation of the rule) and each baseline
#: returning ``res.recommend(B)`` (the rule is searcher-agnostic). A row of
#: ``MODEL_RETURN`` derives its best observed cell, any other row the recommendation.
DEFAULT_BEST = "ednag default, best observed (ablation)"
NET_BEST = NET_DEFAULT + ", best observed (ablation)"
MODEL_REC = " + model recommendation"
DERIVED = {DEFAULT_BEST: "ednag default", NET_BEST: NET_DEFAULT,
           **{b + MODEL_REC: b for b in BASELINES + NET_BASELINES}}  # fmt: skip
#: Row order of the tables: every method, each derived row after its source's block.
ORDER = [*METHODS][:1] + [DEFAULT_BEST] + [*METHODS][1:] + [*DERIVED][2:]
ORDER.insert(ORDER.index(NET_DEFAULT) + 1, NET_BEST)
#: MobileNetV3: the sizes of docs/results_ofa.md (REA P=100 S=10; the unguided EDNAG rows
#: N=100 as there); the default, its ablations and ``fixed-steps`` run with their defaults
#: (N=10; T=100 at 10,000 calls for the budget-aware default and ``repair-only``). Under
#: 25 ms the default and ``repair-only`` run staged since session 19 (``constraints=
#: "staged"``: the first run, N=20, T=50, 1,000 queries at 10,000 calls, in constraint mode,
#: accuracy x latency under the limit; then the penalised scalar, N=10, T=100); sessions
#: 7-18 ran constraint mode throughout (the ``split`` row); the rows of earlier
#: configurations keep the penalised scalar they were run with.
OFA_OPTIONS = {
    "ednag unguided (former default)": {"popsize": 100, "constraints": "penalty"},
    "ednag unguided repair-only": {"popsize": 100, "constraints": "penalty"},
    "ednag paper": {"popsize": 100, "num_steps": 100, "constraints": "penalty"},
    "ednag fixed-steps (T = 30 at any budget)": {"constraints": "penalty"},
    "rea": {"population": 100, "sample": 10},
    "random": {"batch_size": 100},
}
BENCHES = ("nb201", "nb201-noisy", "transnas", "ofa")
_CTX: dict[str, dict[str, Any]] = {}


def problems(bench: str, quick: bool) -> dict[str, dict[str, Any]]:
    """Search problems of one benchmark: space, fitness, budgets, what to report."""
    from ednag_opt.fitness import TNB_TASKS, NB201Fitness, TransNASFitness

    out: dict[str, dict[str, Any]] = {}
    if bench in ("nb201", "nb201-noisy"):
        space = get_space("nas-bench-201")
        space.enumerate()
        for ds in ("cifar10", "cifar100", "ImageNet16-120"):
            src = NB201Fitness(ds, metric="val", noisy=bench == "nb201-noisy")
            test = NB201Fitness(ds, metric="test")
            budgets = [1000] if bench == "nb201" else [50, 100, 300]
            out[ds] = {"space": space, "source": src, "budgets": budgets, "kind": bench,
                       "optimum": src.optimum().value, "test": test}  # fmt: skip
    elif bench == "transnas":
        for sp in ("micro", "macro"):
            space = get_space(f"transnas-{sp}")
            for task in TNB_TASKS:
                src = TransNASFitness(task, space=sp)
                vals = src.query(space.enumerate()).numpy()
                hi, lo = float(vals.max()), float(vals.min())
                best, worst = (hi, lo) if src.maximize else (lo, hi)
                out[f"{sp}/{task}"] = {"space": space, "source": src, "budgets": [50, 100, 300],
                                       "kind": bench, "optimum": best, "worst": worst}  # fmt: skip
    elif bench == "ofa":
        from ednag_opt.fitness.predictors import (
            LatencyConstrained,
            OFAAccuracyPredictor,
            OFALatency,
        )
        from ednag_opt.fitness.predictors.ofa_latency import NOTE10_RESOLUTIONS

        acc = OFAAccuracyPredictor()
        out["acc"] = {"space": get_space("mobilenetv3"), "source": acc,
                      "budgets": [1000, 10000], "kind": bench}  # fmt: skip
        out["acc@25ms"] = {"space": get_space("mobilenetv3", resolutions=NOTE10_RESOLUTIONS),
                           "source": LatencyConstrained(acc, OFALatency(), 25.0),
                           "budgets": [1000, 10000], "kind": bench}  # fmt: skip
    else:
        raise SystemExit(f"unknown benchmark {bench!r}; choose from {BENCHES}")
    if quick:
        for p in out.values():
            p["budgets"] = [max(10, b // 10) for b in p["budgets"]]
    return out


def options(bench: str, label: str) -> tuple[str, dict[str, Any]]:
    """The searcher and its options for one method on one benchmark."""
    name, opts = METHODS[label]
    if bench == "ofa":
        key = label if label in OFA_OPTIONS else name
        opts = {**OFA_OPTIONS.get(key, {}), **opts}
    return name, opts


def run_one(task: tuple[str, str, str, int]) -> dict[str, Any]:
    """One (benchmark, problem, method, seed) run up to the problem's largest budget."""
    bench, prob, label, seed = task
    torch.set_num_threads(1)
    p = _CTX[prob]
    name, opts = options(bench, label)
    top = max(p["budgets"])
    if name == "tpe" and bench == "ofa":
        top = min(top, 1000)
    if p["kind"] == "nb201-noisy":
        p["source"].reseed(seed)
    target = p["optimum"] if p["kind"] == "nb201" else None
    t0 = time.perf_counter()
    res = search(name, p["space"], CachedFitness(p["source"]), max_queries=top, seed=seed,
                 target=target, **opts)  # fmt: skip
    rec: dict[str, Any] = {"bench": bench, "problem": prob, "method": label, "seed": seed,
                           "wall": time.perf_counter() - t0, "unique": res.unique_queries,
                           "origins": res.metadata["origins"]}  # fmt: skip
    if p["kind"] == "nb201":
        rec["q_opt"] = res.queries_to_reach(p["optimum"])
    budgets = [b for b in p["budgets"] if b <= top]
    rec["at"] = {str(b): _returned(p, res.queries[:b]) for b in budgets}
    if p["kind"] == "nb201-noisy":  # every query (table index, observed value): for rules
        rec["q"] = [[p["space"].index(a), float(v)] for a, v in res.queries[:top]]
        model = {str(b): _returned(p, res.queries[:b], res) for b in budgets}
        if label in MODEL_RETURN:
            rec["at"], rec["at_best"] = model, rec["at"]
        else:
            rec["at_model"] = model
    return rec


def derived(rec: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of :data:`DERIVED` that come from this run (same queries, other rule)."""
    out = []
    for label, src in DERIVED.items():
        alt = rec.get("at_best" if src in MODEL_RETURN else "at_model")
        if rec["method"] == src and alt is not None:
            out.append({**{k: v for k, v in rec.items() if not k.startswith("at")},
                        "method": label, "at": alt})  # fmt: skip
    return out


def _returned(p: dict[str, Any], queries: list[tuple[Any, float]],
              res: Any = None) -> dict[str, Any]:  # fmt: skip
    """The returned cell of a budget prefix and the value reported for it: the best
    observed, or with ``res`` the cell ``res.recommend(len(queries))`` recommends."""
    if res is not None:
        r = res.recommend(len(queries), rule="model")
        if r is None:
            return {"value": math.nan, "report": math.nan}
        rep = float(p["test"].test_accuracy([r.arch])[0])
        return {"value": r.value, "report": rep, "arch": str(r.arch), "estimate": r.estimate}
    vals = np.array([v for _, v in queries], dtype=np.float64)
    if not np.isfinite(vals).any():
        return {"value": math.nan, "report": math.nan}
    sign = 1.0 if p["source"].maximize else -1.0
    i = int(np.nanargmax(np.where(np.isfinite(vals), sign * vals, -np.inf)))
    arch, v = queries[i]
    if p["kind"] == "nb201-noisy":
        rep = float(p["test"].test_accuracy([arch])[0])
    elif p["kind"] == "transnas":
        rep = (p["optimum"] - v) / (p["optimum"] - p["worst"])
    elif p["kind"] == "ofa":
        rep = 100.0 * v if v >= 0 else math.nan  # infeasible under the latency limit
    else:
        rep = v
    return {"value": float(v), "report": float(rep), "arch": str(arch)}


def parse_seeds(text: str) -> list[int]:
    out: list[int] = []
    for part in text.split(","):
        lo, _, hi = part.partition("-")
        out += list(range(int(lo), int(hi or lo) + 1))
    return out


def applies(prob: str, label: str) -> bool:
    """Whether a method runs on a problem of ``_CTX``: a ``distinct="networks"`` row
    only where the space can canonicalize."""
    if METHODS[label][1].get("distinct") != "networks":
        return True
    return callable(getattr(_CTX[prob]["space"], "canonicalize", None))


def run_bench(bench: str, labels: list[str], seeds: list[int], workers: int, quick: bool,
              only: list[str] | None = None,
              budget: int | None = None) -> list[dict[str, Any]]:  # fmt: skip
    """Every (problem, method, seed) of a benchmark, seed by seed; results are merged into
    results/search/ as they come (every 10 runs and at the end), so an interrupted run
    keeps what it finished. ``budget`` caps each run: it runs to the largest budget not
    above the cap (to the cap when none is), the budgets above are not reported, and on
    ``nb201`` a run that has not found the optimum by then is a miss."""
    _CTX.clear()
    _CTX.update(problems(bench, quick))
    for p in _CTX.values() if budget else ():
        p["budgets"] = [b for b in p["budgets"] if b <= budget] or [budget]
    probs = [k for k in _CTX if not only or any(o in k for o in only)]
    tasks = [(bench, pr, m, s) for s in seeds for pr in probs for m in labels
             if applies(pr, m)]  # fmt: skip
    if skipped := len(seeds) * len(probs) * len(labels) - len(tasks):
        print(f"[{bench}] {skipped} runs skipped: distinct='networks' needs a space with "
              "canonicalize() (not TransNAS macro, not MobileNetV3)", flush=True)  # fmt: skip
    out: list[dict[str, Any]] = []
    t0 = time.perf_counter()
    pool = ProcessPoolExecutor(workers, mp_context=get_context("fork")) if workers > 1 else None
    it = pool.map(run_one, tasks, chunksize=2) if pool else map(run_one, tasks)
    pending: list[dict[str, Any]] = []
    for i, rec in enumerate(it, 1):
        out.append(rec)
        pending += [rec, *derived(rec)]
        if not quick and (i % 10 == 0 or i == len(tasks)):
            _merge(bench, pending)  # the runs since the last merge
            pending = []
        if i % max(1, len(tasks) // 20) == 0 or i == len(tasks):
            print(f"[{bench}] {i}/{len(tasks)} runs, {time.perf_counter() - t0:.0f} s", flush=True)
    if pool:
        pool.shutdown()
    return out


def _merge(bench: str, recs: list[dict[str, Any]]) -> None:
    """Add runs to results/search/<bench>.json (a rerun of a run replaces it)."""
    RAW.mkdir(parents=True, exist_ok=True)
    path = RAW / f"{bench}.json"
    old = json.loads(path.read_text()) if path.exists() else []
    key = lambda r: (r["problem"], r["method"], r["seed"])  # noqa: E731
    new = {key(r): r for r in old}
    new.update({key(r): r for r in recs})
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(list(new.values())))
    os.replace(tmp, path)  # atomic: a crash never leaves a half-written file


def show(path: Path, seeds: list[int] | None = None, default: str | None = None) -> None:
    """Print a raw file's table and its cells' outcomes against the baselines as stored,
    with one query per network (where run) and, on nb201-noisy, both with the model rule.

    Args:
        path: a raw file (``results/search/<bench>.json`` or an ``--out`` folder's).
        seeds: keep these seeds only (``None``: all in the file).
        default: count the cells of this row instead of ``ednag default`` (e.g.
            ``NET_DEFAULT``); its runs are relabelled ``ednag default`` for the count.
    """
    from _search_report import DEFAULT, tables

    recs = [r for r in json.loads(path.read_text()) if seeds is None or r["seed"] in seeds]
    if not recs:
        raise SystemExit(f"{path}: no runs on the seeds asked for")
    if default is not None and default != DEFAULT:
        recs = [{**r, "method": DEFAULT} if r["method"] == default else r
                for r in recs if r["method"] != DEFAULT]  # fmt: skip
        print(f"cells of {default!r} (relabelled {DEFAULT!r} below)")
    bench = recs[0]["bench"]
    text, cells = tables(recs, bench, ORDER, BASELINES)
    got = sorted({r["seed"] for r in recs})
    print(f"{path}: seeds {got[0]}..{got[-1]} ({len(got)})\n\n{text}\n")
    sets = [("baselines as run", BASELINES), ("baselines + distinct networks", NET_BASELINES)]
    if bench == "nb201-noisy":
        sets += [(f"{n}{MODEL_REC}", tuple(b + MODEL_REC for b in base)) for n, base in sets]
    for name, base in sets:
        ran = [b for b in base if any(r["method"] == b for r in recs)]
        if not ran:
            continue
        _, cells = tables(recs, bench, ORDER, base)
        won = sum(o in ("win", "tie at the optimum") for _, o in cells)
        short = f" (run: {', '.join(ran)})" if len(ran) < len(base) else ""
        print(f"against {name}{short}: {won} of {len(cells)} won or tied at the optimum")
        for c, o in cells:
            print(f"  {c}: {o}")


def main(argv: list[str] | None = None) -> None:
    global RAW
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--bench", default="nb201", help=f"comma list of {BENCHES}")
    ap.add_argument("--methods", default=None, help="comma list of METHODS labels")
    ap.add_argument("--seeds", default=None, help="e.g. 0-19 (default) or 100-119,150")
    ap.add_argument("--problems", default=None, help="substrings of problem names to keep")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--budget", type=int, default=None,
                    help="cap each run's queries (with --out: budgets above are not reported)")
    ap.add_argument("--quick", action="store_true", help="2 seeds, budgets / 10, no files")
    ap.add_argument("--doc", action="store_true",
                    help="only write docs/results_search.md (from --out's folder if given)")
    ap.add_argument("--out", default=None,
                    help="folder for the raw runs instead of results/search (seeds kept aside)")
    ap.add_argument("--show", default=None,
                    help="print the table and cell outcomes of a raw file (e.g. --out's)")
    ap.add_argument("--default", default=None,
                    help="with --show: count this row's cells (e.g. NET_DEFAULT's label)")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    if args.doc:  # from --out's folder when given (its benchmarks only; the rest are kept)
        write_doc(Path(args.out) if args.out else RAW, ORDER, BASELINES)
        return
    if args.show:
        seeds = parse_seeds(args.seeds) if args.seeds else None
        show(Path(args.show), seeds, args.default)
        return
    if args.out:
        RAW = Path(args.out)
    elif args.budget:
        raise SystemExit("--budget needs --out (capped runs never go to results/search)")
    labels = args.methods.split(",") if args.methods else list(METHODS)
    unknown = [m for m in labels if m not in METHODS]
    if unknown:
        raise SystemExit(f"unknown methods {unknown}; choose from {list(METHODS)}")
    seeds = [0, 1] if args.quick else parse_seeds(args.seeds or "0-19")
    only = args.problems.split(",") if args.problems else None
    for bench in args.bench.split(","):
        recs = run_bench(bench, labels, seeds, args.workers, args.quick, only, args.budget)
        if args.quick:
            for r in recs:
                print(r["problem"], r["method"], r["seed"], r.get("q_opt"),
                      {b: round(a["report"], 3) for b, a in r["at"].items()})  # fmt: skip


if __name__ == "__main__":
    main()
