"""NAS-Bench-201: ours vs the paper's configuration, its ablations, random search and REA.

Three datasets (cifar10, cifar100, ImageNet16-120), seeds 0..19 (not selected), two protocols:

* (a) search on the validation accuracy (``NB201Fitness(ds, metric="val")``) and report the
  TEST accuracy of the returned cell: the honest protocol;
* (b) search on the test accuracy itself, as the reference code does.

Per method: hit rate of the searched metric's global optimum within ``--budget`` (1,000)
unique queries (any tied architecture counts), median unique queries to it (misses count as
> budget), test accuracy of the returned cell (the best-by-searched-metric architecture of the
first ``budget`` unique queries; mean and 95% t interval over seeds) and wall time per run.
Runs stop at ``budget`` unique queries (``max_queries``; no ``target``).

Usage::

    python benchmarks/bench_nb201.py                 # full run, writes docs/results_nas.md
    python benchmarks/bench_nb201.py --quick         # 5 seeds, no doc update
    python benchmarks/bench_nb201.py --plot-only     # redraw plots/tables from results/
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nas_common import (  # noqa: E402
    METHODS,
    ROOT,
    Record,
    aliases,
    ci95,
    fmt_q,
    git_rev,
    machine,
    md_table,
    median_queries,
    pick_methods,
    print_table,
    run_all,
    update_section,
)

from ednag_opt.fitness import NB201Fitness  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

DATASETS = ("cifar10", "cifar100", "ImageNet16-120")
PROTOCOLS = {"a": ("val", "search on validation, report test"), "b": ("test", "search on test")}
PLOT_METHODS = ("ours (default)", "paper", "fd", "naive", "random search", "REA")
RAW = ROOT / "results" / "nb201_runs.json"
DOC = ROOT / "docs" / "results_nas.md"
HEADER = [
    "method",
    "hit@{B}",
    "median q (IQR)",
    "test acc of returned (mean ± 95% CI)",
    "returned = test optimum",
    "searched metric of returned",
    "wall / CPU s per run (median)",
    "total queries (median)",
]


def contexts(datasets: list[str], protocols: list[str]) -> dict[str, dict[str, Any]]:
    space = get_space("nas-bench-201")
    space.enumerate()  # build the decode tables before forking
    out = {}
    for ds in datasets:
        test_src = NB201Fitness(ds, metric="test")
        for p in protocols:
            src = NB201Fitness(ds, metric=PROTOCOLS[p][0])
            opt = src.optimum()
            out[f"{ds}/{p}"] = {
                "space": space,
                "source": src,
                "optimum": opt.value,
                "ties": opt.ties,
                "test_opt": test_src.optimum().value,
                "report": lambda keys, s=test_src: s.test_accuracy(keys).tolist(),
            }
    return out


def table_rows(recs: list[Record], budget: int, test_opt: float) -> list[list[str]]:
    by: dict[str, list[Record]] = defaultdict(list)
    for r in recs:
        by[r["method"]].append(r)
    rows = []
    for name in [m.name for m in METHODS if m.name in by]:
        rs = by[name]
        n = len(rs)
        hits = sum(r["q_opt"] is not None for r in rs)
        med, q1, q3 = median_queries([r["q_opt"] for r in rs], budget)
        mean, half = ci95([r["report"] for r in rs])
        on_opt = sum(abs(r["report"] - test_opt) < 1e-6 for r in rs)
        vmean, _ = ci95([r["value"] for r in rs])
        rows.append(
            [
                name,
                f"{hits}/{n} ({100 * hits / n:.0f}%)",
                f"{fmt_q(med, budget)} ({fmt_q(q1, budget)}–{fmt_q(q3, budget)})",
                f"{mean:.2f} ± {half:.2f}",
                f"{on_opt}/{n}",
                f"{vmean:.2f}",
                f"{np.median([r['wall'] for r in rs]):.2f} / "
                f"{np.median([r.get('cpu', math.nan) for r in rs]):.2f}",
                f"{np.median([r['total_queries'] for r in rs]):.0f}",
            ]
        )
    return rows


def targets(recs: list[Record], budget: int) -> list[str]:
    """Pass/miss of the issue's targets for our default (protocol a)."""
    lines = []
    want = {"cifar10": 94.37, "cifar100": 73.51}
    for ds in DATASETS:
        rs = [r for r in recs if r["context"] == f"{ds}/a" and r["method"] == "ours (default)"]
        rea = [r for r in recs if r["context"] == f"{ds}/a" and r["method"] == "REA"]
        if not rs:
            continue
        med = median_queries([r["q_opt"] for r in rs], budget)[0]
        hit = sum(r["q_opt"] is not None for r in rs) / len(rs)
        rea_med = median_queries([r["q_opt"] for r in rea], budget)[0] if rea else math.nan
        ok = "PASS" if med <= 200 else "MISS"
        lines.append(
            f"- {ds}: median unique queries to the validation optimum {fmt_q(med, budget)} "
            f"(target <= 200: **{ok}**; REA {fmt_q(rea_med, budget)}); hit rate "
            f"{100 * hit:.0f}% (target >= 95%: **{'PASS' if hit >= 0.95 else 'MISS'}**)"
        )
        if ds in want:
            tests = [round(r["report"], 2) for r in rs]
            n_ok = sum(t == want[ds] for t in tests)
            verdict = "PASS" if n_ok == len(tests) else "MISS"
            lines.append(
                f"- {ds}: test accuracy {want[ds]} on {n_ok}/{len(tests)} seeds (target: every "
                f"seed: **{verdict}**)"
            )
    return lines


def plot(recs: list[Record], budget: int, datasets: list[str]) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    paths = []
    x = np.arange(1, budget + 1)
    for ds in datasets:
        fig, ax = plt.subplots(figsize=(7, 4.5))
        for name in PLOT_METHODS:
            rs = [r for r in recs if r["context"] == f"{ds}/a" and r["method"] == name]
            if not rs:
                continue
            ys = np.full((len(rs), budget), np.nan)
            for k, r in enumerate(rs):
                for pos, _, rep in r["curve"]:
                    ys[k, pos - 1 :] = rep
            med = np.nanmedian(ys, axis=0)
            lo, hi = np.nanpercentile(ys, 25, axis=0), np.nanpercentile(ys, 75, axis=0)
            (line,) = ax.plot(x, med, label=name, lw=1.6)
            ax.fill_between(x, lo, hi, color=line.get_color(), alpha=0.18, lw=0)
        test_opt = NB201Fitness(ds, metric="test").optimum().value
        ax.axhline(test_opt, color="k", ls=":", lw=1, label=f"test optimum {test_opt:.2f}")
        val_opt = NB201Fitness(ds, metric="val")
        at_val = float(val_opt.test_accuracy([val_opt.optimum().arch])[0])
        if abs(at_val - test_opt) > 1e-6:
            label = f"test acc of the validation optimum {at_val:.2f}"
            ax.axhline(at_val, color="k", ls="--", lw=1, label=label)
        ax.set_xscale("log")
        ax.set_xlim(10, budget)
        lo_y = float(
            np.nanpercentile(
                [
                    r["curve"][min(2, len(r["curve"]) - 1)][2]
                    for r in recs
                    if r["context"] == f"{ds}/a"
                ],
                10,
            )
        )
        ax.set_ylim(max(lo_y, test_opt - 6), test_opt + 0.4)
        ax.set_xlabel("unique queries")
        ax.set_ylabel("test accuracy of best-by-validation cell (%)")
        ax.set_title(f"NAS-Bench-201 {ds}, search on validation (median, IQR over seeds)")
        ax.legend(fontsize=8, loc="lower right")
        ax.grid(alpha=0.3, which="both")
        fig.tight_layout()
        path = ROOT / "docs" / "img" / f"nb201_{ds}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        paths.append(path)
    return paths


def report(recs: list[Record], meta: dict[str, Any], write_doc: bool) -> None:
    budget, datasets = meta["budget"], meta["datasets"]
    md = [
        "## NAS-Bench-201",
        "",
        f"Command: `{meta['command']}`  ",
        f"Machine: {meta['machine']}; date {meta['date']}; commit {meta['commit']}; "
        f"{meta['workers']} worker processes, 1 torch thread each, machine shared with other "
        f"jobs (wall times are upper bounds; see the generation-time section for clean ones).  ",
        f"Seeds {meta['seeds'][0]}..{meta['seeds'][-1]} (all reported), budget {budget} unique "
        "queries per run. *hit*: the searched metric's global optimum (any tie) is among the "
        f"first {budget} unique queries; *median q*: unique queries until then, misses count as "
        f"> {budget}; *returned*: best-by-searched-metric cell of the first {budget} unique "
        "queries; *returned = test optimum*: its test accuracy is the table's best.",
    ]
    al = aliases()
    if al:
        md.append("")
        md += [
            f"- `{a}` has the same configuration as `{b}` (`PRESETS` are equal): run once, "
            "rows identical."
            for a, b in al.items()
        ]
    header = [h.replace("{B}", str(budget)) for h in HEADER]
    for p in meta["protocols"]:
        for ds in datasets:
            ctx = f"{ds}/{p}"
            rs = [r for r in recs if r["context"] == ctx]
            if not rs:
                continue
            test_opt = NB201Fitness(ds, metric="test").optimum().value
            rows = table_rows(rs, budget, test_opt)
            title = f"{ds}, protocol ({p}): {PROTOCOLS[p][1]} (test optimum {test_opt:.2f})"
            print_table(title, header, rows)
            md += ["", f"### {title}", "", md_table(header, rows)]
    tl = targets(recs, budget)
    if tl:
        print("\n".join(tl))
        md += ["", "### Targets (ours, protocol a)", "", *tl]
    if "a" in meta["protocols"]:
        paths = plot(recs, budget, datasets)
        md += ["", "### Best-so-far test accuracy (protocol a)", ""]
        md += [f"![{p.stem}](img/{p.name})" for p in paths]
    if write_doc:
        update_section(DOC, "nb201", "\n".join(md))
        print(f"wrote {DOC}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 seeds, no doc update")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--budget", type=int, default=1000)
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--protocols", default="a,b")
    ap.add_argument("--methods", default=None, help="comma-separated method names")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--plot-only", action="store_true", help="report from results/ JSON")
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    if args.plot_only:
        doc = json.loads(RAW.read_text())
        report(doc["runs"], doc["meta"], write_doc=not args.no_doc)
        return
    seeds = list(range(min(5, args.seeds) if args.quick else args.seeds))
    datasets = [d for d in args.datasets.split(",") if d]
    protocols = [p for p in args.protocols.split(",") if p]
    methods = pick_methods(args.methods)
    t0 = time.perf_counter()
    ctxs = contexts(datasets, protocols)

    def progress(rec: Record, done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            print(f"[{time.perf_counter() - t0:7.1f}s] {done}/{total} runs", flush=True)

    recs = run_all(ctxs, methods, seeds, args.budget, args.workers, progress)
    meta = {
        "command": "python " + " ".join(["benchmarks/bench_nb201.py", *sys.argv[1:]]),
        "machine": machine(),
        "date": dt.date.today().isoformat(),
        "commit": git_rev(),
        "workers": args.workers,
        "seeds": seeds,
        "budget": args.budget,
        "datasets": datasets,
        "protocols": protocols,
        "elapsed_s": time.perf_counter() - t0,
    }
    print(f"total {meta['elapsed_s']:.0f}s")
    RAW.parent.mkdir(parents=True, exist_ok=True)
    RAW.write_text(json.dumps({"meta": meta, "runs": recs}))
    report(recs, meta, write_doc=not (args.quick or args.no_doc))


if __name__ == "__main__":
    main()
