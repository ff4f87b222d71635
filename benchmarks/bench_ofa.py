"""Once-for-All MobileNetV3: EDNAG vs random search and REA on OFA's accuracy predictor.

Every run queries through its own :class:`~ednag_opt.fitness.CachedFitness` up to the
largest budget; the result at a smaller budget B is the best of the first B distinct
queries of the same run (all three searchers only stop on the budget, so this equals a run
with budget B; EDNAG's overshoot of its last generation is cut off). Seeds 0..n-1, fixed in
advance (not selected).

Problems:

* ``acc``: predicted ImageNet top-1 (``OFAAccuracyPredictor``), resolutions 128..224;
* ``acc@<L>ms`` (``--latency L``): the same under Note10 latency <= L ms
  (``LatencyConstrained``: infeasible -> ``-(latency - L) / L``, below every feasible
  value), resolutions 160..224 (the tables). Reported: best feasible accuracy.

Methods: EDNAG through ``generate`` with population 100 (the paper's size for this space),
random search (uniform, without replacement) and regularised evolution (REA, Real et al.
2019: population 100, tournament 10, one-gene mutation, aging), both through
``ednag_opt.search``.

Usage::

    python benchmarks/bench_ofa.py                      # full run, writes docs/results_ofa.md
    python benchmarks/bench_ofa.py --seeds 3 --budgets 1000 --no-doc   # quick look
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import torch
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ednag_opt import generate, search  # noqa: E402
from ednag_opt.fitness import CachedFitness  # noqa: E402
from ednag_opt.fitness.predictors import (  # noqa: E402
    LatencyConstrained,
    OFAAccuracyPredictor,
    OFALatency,
)
from ednag_opt.fitness.predictors.ofa_latency import NOTE10_RESOLUTIONS  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "results_ofa.md"
#: id -> (label, kind, keyword arguments). The first is the headline EDNAG configuration.
METHODS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "ednag": ("EDNAG (N=100, T=30)", "generate", {"popsize": 100, "num_steps": 30}),
    "ednag-paper": (
        "EDNAG paper preset (N=100, T=100)",
        "generate",
        {"preset": "paper", "popsize": 100, "num_steps": 100},
    ),
    "random": ("random search", "random", {}),
    "rea": ("REA (P=100, S=10)", "rea", {"population": 100, "sample": 10}),
}
#: Variants tried on tuning seeds (--seed0 1000) before the reported run; see the docs.
TUNING: dict[str, tuple[str, str, dict[str, Any]]] = {
    f"ednag-{tag}": (f"EDNAG (N=100, {label})", "generate", {"popsize": 100, **kw})
    for tag, label, kw in [
        ("t10", "T=10", {"num_steps": 10}),
        ("t100", "T=100", {"num_steps": 100}),
        ("temp05", "T=30, temperature 0.05", {"num_steps": 30, "temperature": 0.05}),
        ("elite3", "T=30, elite 0.3", {"num_steps": 30, "elite_frac": 0.3}),
        ("mutate", "T=30, novelty=mutate", {"num_steps": 30, "novelty": "mutate"}),
        ("sigma03", "T=30, sigma 0.3", {"num_steps": 30, "sigma": 0.3}),
    ]
}
ALL_METHODS = {**METHODS, **TUNING}
_CTX: dict[str, dict[str, Any]] = {}


def make_contexts(latency: float | None) -> dict[str, dict[str, Any]]:
    acc = OFAAccuracyPredictor()
    ctx = {"acc": {"space": get_space("mobilenetv3"), "fitness": acc, "lat": None}}
    if latency is not None:
        lat = OFALatency()
        ctx[f"acc@{latency:g}ms"] = {
            "space": get_space("mobilenetv3", resolutions=NOTE10_RESOLUTIONS),
            "fitness": LatencyConstrained(acc, lat, latency),
            "lat": lat,
            "acc": acc,
        }
    return ctx


def run_one(task: tuple[str, str, int, list[int]]) -> dict[str, Any]:
    """One (problem, method, seed) run up to the largest budget."""
    problem, method, seed, budgets = task
    torch.set_num_threads(1)
    ctx = _CTX[problem]
    _, kind, kw = ALL_METHODS[method]
    space, cache, top = ctx["space"], CachedFitness(ctx["fitness"]), max(budgets)
    t0 = time.perf_counter()
    if kind == "generate":
        if ctx["lat"] is not None:  # the tables were run on the penalised scalar (before
            kw = {**kw, "constraints": "penalty"}  # session 7's constraint mode)
        generate(space, cache, seed=seed, max_queries=top, **kw)
    elif kind == "random":
        search("random", space, cache, max_queries=top, seed=seed, batch_size=100)
    else:
        search("rea", space, cache, max_queries=top, seed=seed, **kw)
    wall = time.perf_counter() - t0
    rec: dict[str, Any] = {
        "problem": problem,
        "method": ALL_METHODS[method][0],
        "id": method,
        "seed": seed,
        "wall": wall,
    }
    for b in budgets:
        hist = cache.history[:b]
        i = int(np.nanargmax([v for _, v in hist]))
        key, value = hist[i]
        row = {"value": value, "arch": key, "at": i + 1, "queries": len(hist)}
        if ctx["lat"] is not None:
            row["latency_ms"] = float(ctx["lat"]([key])[0])
            row["value"] = value if value >= 0 else math.nan  # no feasible subnet found
        rec[str(b)] = row
    return rec


def median_ci(x: np.ndarray, seed: int = 0, n_boot: int = 10_000) -> tuple[float, float, float]:
    """Median and its 95% bootstrap percentile interval (NaN-free input)."""
    if x.size == 0:
        return math.nan, math.nan, math.nan
    rng = np.random.default_rng(seed)
    meds = np.median(rng.choice(x, size=(n_boot, x.size), replace=True), axis=1)
    lo, hi = np.percentile(meds, [2.5, 97.5])
    return float(np.median(x)), float(lo), float(hi)


def summary_rows(records: list[dict], budgets: list[int], methods: list[str]) -> list[list[str]]:
    """Markdown rows per problem, budget and method (labels, in this order): median [95% CI],
    mean, best, Mann-Whitney p against ``methods[0]``."""
    rows = []
    ref = methods[0]
    problems = list(dict.fromkeys(r["problem"] for r in records))
    for prob in problems:
        for b in budgets:
            base = {
                r["seed"]: r[str(b)]["value"]
                for r in records
                if r["problem"] == prob and r["method"] == ref
            }
            for m in methods:
                rs = [r for r in records if r["problem"] == prob and r["method"] == m]
                if not rs:
                    continue
                vals = np.array([r[str(b)]["value"] for r in rs], dtype=float)
                ok = vals[~np.isnan(vals)]
                med, lo, hi = median_ci(ok)
                p = "-"
                if m != ref and base:
                    other = np.array([v for v in base.values() if v == v])
                    if ok.size and other.size:
                        p = f"{stats.mannwhitneyu(ok, other).pvalue:.2g}"
                lat = ""
                if "latency_ms" in rs[0][str(b)]:
                    lat = f"{np.median([r[str(b)]['latency_ms'] for r in rs]):.2f}"
                rows.append(
                    [
                        prob,
                        f"{b:,}",
                        m,
                        f"{100 * med:.2f} [{100 * lo:.2f}, {100 * hi:.2f}]",
                        f"{100 * ok.mean():.2f}" if ok.size else "nan",
                        f"{100 * ok.max():.2f}" if ok.size else "nan",
                        f"{ok.size}/{vals.size}",
                        p,
                        lat,
                        f"{np.median([r['wall'] for r in rs]):.1f}",
                    ]
                )
    return rows


HEADER = [
    "problem",
    "queries B",
    "method",
    "median top-1 % [95% CI]",
    "mean",
    "best",
    "runs",
    "p vs EDNAG",
    "median ms",
    "wall s/run",
]


def md_table(header: list[str], rows: list[list[str]]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(out + ["| " + " | ".join(r) + " |" for r in rows])


def update_doc(path: Path, text: str, name: str = "bench_ofa") -> None:
    """Replace the block between the BEGIN/END markers of ``name`` (append if absent)."""
    begin, end = f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"
    block = f"{begin}\n{text.rstrip()}\n{end}"
    old = path.read_text() if path.exists() else "# OFA MobileNetV3 results\n"
    pat = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
    new = pat.sub(lambda _: block, old) if pat.search(old) else old.rstrip() + "\n\n" + block
    path.write_text(new.rstrip() + "\n")


def environment() -> str:
    rev = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    return (
        f"Python {platform.python_version()}, torch {torch.__version__} (CPU, 1 thread per "
        f"run), numpy {np.__version__}, {platform.machine()}; git {rev or '?'}"
    )


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, default=10, help="seeds 0..n-1 (default 10)")
    ap.add_argument("--seed0", type=int, default=0, help="first seed (tuning: use others)")
    ap.add_argument("--budgets", default="1000,3000,10000")
    ap.add_argument("--latency", type=float, default=25.0, help="Note10 ms; 0 to skip")
    ap.add_argument("--latency-budgets", default="1000,3000", help="budgets of acc@L")
    ap.add_argument(
        "--methods", default=",".join(METHODS), help=f"comma-separated ids of {list(ALL_METHODS)}"
    )
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "results" / "ofa" / "bench_ofa.json"))
    ap.add_argument("--no-doc", action="store_true", help="do not update docs/results_ofa.md")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    budgets = sorted(int(b) for b in args.budgets.split(","))
    lat_budgets = sorted(int(b) for b in args.latency_budgets.split(","))
    methods = [m.strip() for m in args.methods.split(",") if m.strip()]
    unknown = [m for m in methods if m not in ALL_METHODS]
    if unknown:
        raise SystemExit(f"unknown methods {unknown}; choose from {list(ALL_METHODS)}")
    seeds = list(range(args.seed0, args.seed0 + args.seeds))
    _CTX.update(make_contexts(args.latency or None))
    tasks = [("acc", m, s, budgets) for m in methods for s in seeds]
    tasks += [(p, m, s, lat_budgets) for p in _CTX if p != "acc" for m in methods for s in seeds]
    tasks.sort(key=lambda t: -max(t[3]) * (3 if ALL_METHODS[t[1]][1] == "rea" else 1))  # long first
    t0 = time.perf_counter()
    records: list[dict[str, Any]] = []
    with ProcessPoolExecutor(args.workers, mp_context=get_context("fork")) as ex:
        for rec in ex.map(run_one, tasks):
            records.append(rec)
            top = rec[str(max(int(k) for k in rec if k.isdigit()))]
            print(
                f"[{len(records)}/{len(tasks)}] {rec['problem']} {rec['method']} "
                f"seed {rec['seed']}: {top['value']:.4f} ({rec['wall']:.1f}s)",
                flush=True,
            )
    total = time.perf_counter() - t0
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"args": vars(args), "records": records}, indent=1))
    labels = [ALL_METHODS[m][0] for m in methods]
    ref = labels[0]
    rows = summary_rows([r for r in records if r["problem"] == "acc"], budgets, labels)
    rows += summary_rows([r for r in records if r["problem"] != "acc"], lat_budgets, labels)
    header = [h.replace("EDNAG", f"{ref}") for h in HEADER]
    table = md_table(header, rows)
    print(table)
    cmd = "python benchmarks/bench_ofa.py " + " ".join(argv if argv is not None else sys.argv[1:])
    text = (
        f"Generated by `{cmd.strip()}` on {time.strftime('%Y-%m-%d')} in "
        f"{total / 60:.1f} min ({args.workers} worker processes); seeds "
        f"{seeds[0]}..{seeds[-1]}.\n\n{environment()}.\n\n{table}\n"
    )
    if not args.no_doc:
        update_doc(DOC, text)
        print(f"updated {DOC}")


if __name__ == "__main__":
    main()
