"""Surrogate mode in every space with a real oracle (issue #13, goal 3), against REA and TPE.

Parts (``--part``):

* ``transnas``: TransNAS-Bench-101 micro and macro, 7 tasks each (14 problems); reported:
  normalised regret ``(best - value) / (best - worst)`` over the table of the returned cell
  (as docs/results_search.md), lower is better;
* ``ofa``: MobileNetV3 with OFA's accuracy predictor as the oracle, unconstrained
  (``acc``) and under 25 ms Note10 latency (``acc@25ms``); reported: predicted top-1 (%)
  of the returned cell (feasible only), higher is better.

Problems, normalisation and the returned cell come from ``bench_searchers`` (one
definition). Protocol: one run per (problem, method, seed) at the largest budget (300)
through its own ``CachedFitness``; the returned cell at budget B is the best of the run's
first B unique queries (``bench_searchers._returned``), so one run gives 50, 100 and 300.
Nobody is told the optimum; on TransNAS a run is cut once it has queried the table
optimum (the searchers never read the target, so the queries before it are the same and
no column changes). Methods use their library defaults: ``search("surrogate")``
(diffusion generator on the acquisition, 3 real queries per round), ``search("rea")``
(P=20, S=5), ``search("tpe")``.

Each run is appended to ``results/surrogate_spaces/<part>.jsonl`` as it completes (seed
outermost); a rerun skips the (problem, method, seed) already there, so a cut run resumes.
The tables cover the ``--seeds`` given, per problem only seeds with every method's run.
Tables: median with a bootstrap 95% CI of the median, two-sided Mann-Whitney p against
surrogate mode, per-problem wins / ties / losses of surrogate mode's median, and its
predictor fit + search seconds per round.

Usage::

    python benchmarks/bench_surrogate_spaces.py --part transnas --seeds 0-9
    python benchmarks/bench_surrogate_spaces.py --part ofa --seeds 0-4 --problems acc
    python benchmarks/bench_surrogate_spaces.py --part transnas --report   # tables only
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nas_common import ROOT, fmt_q, machine, md_table, median_queries, update_section  # noqa: E402
from _search_report import median_ci, mw_p  # noqa: E402
from bench_searchers import _returned, parse_seeds, problems  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.fitness import CachedFitness  # noqa: E402

OUT = ROOT / "results" / "surrogate_spaces"
DOC = ROOT / "docs" / "results_transfer.md"
METHODS = {"surrogate": ("surrogate", {}), "REA": ("rea", {}), "TPE": ("tpe", {})}
REF = "surrogate"
BUDGETS = (50, 100, 300)
#: +1: higher is better (OFA accuracy), -1: lower is better (normalised regret).
SIGN = {"transnas": -1, "ofa": 1}


def one_run(p: dict[str, Any], prob: str, method: str, seed: int, top: int) -> dict[str, Any]:
    """One (problem, method, seed) run up to ``top`` unique queries; a JSON-able record."""
    name, opts = METHODS[method]
    target = p.get("optimum") if p["kind"] == "transnas" else None
    t0 = time.perf_counter()
    res = search(name, p["space"], CachedFitness(p["source"]), max_queries=top, seed=seed,
                 target=target, **opts)  # fmt: skip
    wall = time.perf_counter() - t0
    rows = res.history
    return {
        "problem": prob, "method": method, "seed": seed, "wall": wall,
        "unique": res.unique_queries,
        "at": {str(b): _returned(p, res.queries[:b])["report"] for b in BUDGETS if b <= top},
        "fit_time": sum(r.get("fit_time", 0.0) for r in rows),
        "search_time": sum(r.get("search_time", 0.0) for r in rows),
        "rounds": res.extras.get("rounds", 0),
        "q_opt": res.queries_to_reach(target) if target is not None else None,
    }  # fmt: skip


def run(part: str, probs: dict[str, dict[str, Any]], methods: list[str], seeds: list[int],
        top: int, raw: Path) -> None:  # fmt: skip
    """Every missing run, seed outermost, appended to ``raw`` as it completes."""
    done = {(r["problem"], r["method"], r["seed"]) for r in load(raw)}
    jobs = [(pr, m, s) for s in seeds for pr in probs for m in methods
            if (pr, m, s) not in done]  # fmt: skip
    t0 = time.perf_counter()
    with raw.open("a") as fh:
        for i, (pr, m, s) in enumerate(jobs, 1):
            rec = one_run(probs[pr], pr, m, s, top)
            rec["load"] = os.getloadavg()[0]
            fh.write(json.dumps(rec) + "\n")
            fh.flush()
            print(f"[{part}] {i}/{len(jobs)} {pr} {m} seed {s}: {rec['wall']:.1f} s "
                  f"(total {(time.perf_counter() - t0) / 60:.1f} min)", flush=True)  # fmt: skip


def load(raw: Path) -> list[dict[str, Any]]:
    if not raw.exists():
        return []
    return [json.loads(line) for line in raw.read_text().splitlines() if line.strip()]


def complete(recs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per problem, only the seeds whose every method's run is recorded (balanced rows)."""
    methods = {r["method"] for r in recs}
    got: dict[tuple[str, int], set[str]] = {}
    for r in recs:
        got.setdefault((r["problem"], r["seed"]), set()).add(r["method"])
    return [r for r in recs if got[(r["problem"], r["seed"])] == methods]


def _fmt(v: float, nd: int) -> str:
    return "n/a" if v != v else f"{v:.{nd}f}"


def tables(part: str, recs: list[dict[str, Any]]) -> tuple[str, str]:
    """Per-problem rows (median [95% CI], p vs surrogate) and the wins/ties/losses summary."""
    nd = 3 if part == "transnas" else 2
    sign = SIGN[part]
    probs = list(dict.fromkeys(r["problem"] for r in recs))
    methods = [m for m in METHODS if any(r["method"] == m for r in recs)]
    vals = {(r["problem"], r["method"], b): [] for r in recs for b in r["at"]}
    for r in sorted(recs, key=lambda r: r["seed"]):
        for b, v in r["at"].items():
            vals[(r["problem"], r["method"], b)].append(v)
    header = ["problem", "method", "runs", *[f"@{b}" for b in BUDGETS],
              "fit + search s / round"]  # fmt: skip
    if part == "transnas":
        header.insert(3, "optimum found: runs, median queries")
    rows: list[list[str]] = []
    diffs: dict[tuple[str, int], list[tuple[float, float]]] = {
        (m, b): [] for m in methods if m != REF for b in BUDGETS}  # fmt: skip
    for pr in probs:
        for m in methods:
            rs = [r for r in recs if r["problem"] == pr and r["method"] == m]
            row = [pr, m, str(len(rs))]
            if part == "transnas":
                qs = [r["q_opt"] for r in rs]
                med = fmt_q(median_queries(qs, max(BUDGETS))[0], max(BUDGETS))
                row.append(f"{sum(q is not None for q in qs)}, {med}")
            for b in map(str, BUDGETS):
                x, ref = vals.get((pr, m, b), []), vals.get((pr, REF, b), [])
                med, lo, hi = median_ci(x)
                cell = f"{_fmt(med, nd)} [{_fmt(lo, nd)}, {_fmt(hi, nd)}]"
                if m != REF and x and ref:
                    p = mw_p(ref, x)
                    cell += f", p={p:.2g}"
                    d = sign * (float(np.nanmedian(ref)) - float(np.nanmedian(x)))
                    diffs[(m, int(b))].append((d, p))
                row.append(cell)
            n = sum(r["rounds"] for r in rs)
            per = sum(r["fit_time"] + r["search_time"] for r in rs) / n if n else 0.0
            row.append(f"{per:.2f} (fit {sum(r['fit_time'] for r in rs) / n:.2f})" if n
                       else "–")  # fmt: skip
            rows.append(row)
    return md_table(header, rows), summary(diffs)


def summary(diffs: dict[tuple[str, int], list[tuple[float, float]]]) -> str:
    """Wins / ties / losses of surrogate mode's per-problem median against each baseline
    (``d > 0``: surrogate better), those with p < 0.05, and a Wilcoxon signed-rank test of
    the per-problem median differences (ties dropped) across problems."""
    rows = []
    for (m, b), dp in diffs.items():
        d = np.array([x for x, _ in dp])
        w, t, lo = int((d > 0).sum()), int((d == 0).sum()), int((d < 0).sum())
        sw = sum(x > 0 and p < 0.05 for x, p in dp)
        sl = sum(x < 0 and p < 0.05 for x, p in dp)
        nz = d[d != 0]
        wp = f"{stats.wilcoxon(nz).pvalue:.2g}" if len(nz) >= 2 else "n/a"
        rows.append([m, str(b), f"{w} / {t} / {lo}", f"{sw} / {sl}", wp])
    return md_table(["surrogate vs", "budget", "wins / ties / losses (median)",
                     "significant wins / losses (p < 0.05)",
                     "Wilcoxon p across problems"], rows)  # fmt: skip


def report(part: str, raw: Path, cmd: str, only: list[int] | None = None) -> None:
    """Print the tables and write them into the doc (``only``: keep these seeds)."""
    recs = complete([r for r in load(raw) if only is None or r["seed"] in only])
    if not recs:
        raise SystemExit(f"no complete seed recorded in {raw}")
    seeds = sorted({r["seed"] for r in recs})
    walls = {m: np.mean([r["wall"] for r in recs if r["method"] == m]) for m in METHODS
             if any(r["method"] == m for r in recs)}  # fmt: skip
    loads = [r.get("load", float("nan")) for r in recs]
    tab, summ = tables(part, recs)
    head = (f"Command: `{cmd}`; seeds {', '.join(map(str, seeds))} ({len(seeds)}); budget "
            f"{max(BUDGETS)} unique real queries per run; {len(recs)} runs; mean wall s per "
            f"run: {', '.join(f'{m} {w:.1f}' for m, w in walls.items())}; one process, 1 "
            f"thread, nice 10, 1-min load {min(loads):.1f}-{max(loads):.1f} during the runs; "
            f"{machine()}; {dt.date.today()}.")  # fmt: skip
    what = ("median normalised regret (0 = table optimum)" if part == "transnas"
            else "median predicted top-1 % of the returned cell (feasible only)")  # fmt: skip
    text = (f"{head}\n\n{summ}\n\nPer problem: {what} [95% CI], p = Mann-Whitney vs "
            f"surrogate.\n\n{tab}")  # fmt: skip
    print(text)
    update_section(DOC, f"SURROGATE-{part.upper()}", text)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--part", choices=sorted(SIGN), required=True)
    ap.add_argument("--seeds", default="0-9", help="e.g. 0-9 or 100-102 (tuning)")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--problems", default=None, help="comma list of problem names (default all)")
    ap.add_argument("--report", action="store_true",
                    help="only write the tables (of the --seeds recorded)")  # fmt: skip
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    methods = args.methods.split(",")
    if unknown := [m for m in methods if m not in METHODS]:
        raise SystemExit(f"unknown methods {unknown}; choose from {list(METHODS)}")
    seeds = parse_seeds(args.seeds)
    tuning = all(s >= 100 for s in seeds)
    OUT.mkdir(parents=True, exist_ok=True)
    raw = OUT / f"{args.part}{'_tuning' if tuning else ''}.jsonl"
    cmd = f"python benchmarks/bench_surrogate_spaces.py --part {args.part} --seeds {args.seeds}"
    if not args.report:
        probs = problems(args.part, quick=False)
        if args.problems:
            want = args.problems.split(",")
            if missing := [w for w in want if w not in probs]:
                raise SystemExit(f"unknown problems {missing}; choose from {list(probs)}")
            probs = {k: probs[k] for k in want}
        run(args.part, probs, methods, seeds, max(BUDGETS), raw)
    if tuning:
        print(tables(args.part, complete(load(raw)))[1])
        return
    report(args.part, raw, cmd, seeds)


if __name__ == "__main__":
    main()
