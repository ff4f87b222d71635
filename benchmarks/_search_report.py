"""Tables of benchmarks/bench_searchers.py: docs/results_search.md from results/search/*.json.

Reported seeds are 0..99 (the protocol reports 0-19); tuning seeds 100..199 get their own
tables (``tuning`` sections). Every cell: median over seeds with a bootstrap 95% interval,
and a two-sided Mann-Whitney p-value against the first method (``ednag default``).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _nas_common import ROOT, git_rev, machine, md_table, update_section
from scipy import stats

DOC = ROOT / "docs" / "results_search.md"
DEFAULT = "ednag default"
NB201_DS = ("cifar10", "cifar100", "ImageNet16-120")
#: (section, better direction) per benchmark: +1 higher is better, -1 lower is better.
DIRECTION = {"nb201": -1, "nb201-noisy": 1, "transnas": -1, "ofa": 1}


def median_ci(x: Sequence[float], n_boot: int = 4000) -> tuple[float, float, float]:
    """Median and its 95% bootstrap percentile interval (+inf allowed, NaN dropped)."""
    a = np.asarray([v for v in x if v == v], dtype=np.float64)
    if a.size == 0:
        return math.nan, math.nan, math.nan
    rng = np.random.default_rng(0)
    meds = np.median(rng.choice(a, size=(n_boot, a.size), replace=True), axis=1)
    lo = np.percentile(meds, 2.5, method="lower")
    hi = np.percentile(meds, 97.5, method="higher")
    return float(np.median(a)), float(lo), float(hi)


def mw_p(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided Mann-Whitney p-value (inf -> a large finite value; NaN dropped)."""
    x = np.nan_to_num([v for v in a if v == v], posinf=1e12)
    y = np.nan_to_num([v for v in b if v == v], posinf=1e12)
    if len(x) == 0 or len(y) == 0 or (np.all(x == x[0]) and np.all(y == x[0])):
        return 1.0
    return float(stats.mannwhitneyu(x, y, alternative="two-sided").pvalue)


def _f(v: float, nd: int = 2) -> str:
    return "n/a" if v != v else ("inf" if math.isinf(v) else f"{v:.{nd}f}")


def _cell(vals: list[float], ref: list[float] | None, nd: int, is_ref: bool) -> str:
    m, lo, hi = median_ci(vals)
    p = "" if is_ref or ref is None else f", p={mw_p(vals, ref):.2g}"
    return f"{_f(m, nd)} [{_f(lo, nd)}, {_f(hi, nd)}]{p}"


def _share(recs: list[dict[str, Any]]) -> str:
    """Share of new queries drawn by the diffusion (EDNAG runs only).

    Counts the DDIM draws (``"diffusion"``) and the renoised draws of the forward process
    (``"renoise"``, session 16); ``"repair"`` moves and the start design are not.
    """
    d = sum(r["origins"].get(k, 0) for r in recs for k in ("diffusion", "renoise"))
    n = sum(sum(r["origins"].values()) for r in recs)
    has = any("diffusion" in r["origins"] or "repair" in r["origins"] for r in recs)
    return f"{100 * d / n:.0f}%" if has and n else "-"


def _values(recs, bench: str, budget: str | None) -> list[float]:
    if bench == "nb201":
        return [math.inf if r["q_opt"] is None else r["q_opt"] for r in recs]
    return [r["at"][budget]["report"] if budget in r["at"] else math.nan for r in recs]


def tables(recs: list[dict[str, Any]], bench: str, order: list[str], baselines: Sequence[str]):
    """Markdown tables of one benchmark and its target cells ``(cell, outcome)``."""
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for r in sorted(recs, key=lambda r: r["seed"]):
        by[(r["problem"], r["method"])].append(r)
    probs = sorted(
        {p for p, _ in by}, key=lambda p: (p not in NB201_DS, (NB201_DS + (p,)).index(p), p)
    )
    methods = [m for m in order if any((p, m) in by for p in probs)]
    budgets = sorted({b for r in recs for b in r["at"]}, key=int)
    nd = {"nb201": 0, "nb201-noisy": 2, "transnas": 3, "ofa": 2}[bench]
    cols = [(p, b) for p in probs for b in (["q"] if bench == "nb201" else budgets)]
    header = ["method"] + [f"{p} @{b}" if b != "q" else p for p, b in cols] + ["diffusion share"]
    rows, cells = [], []
    for m in methods:
        row = [m]
        for p, b in cols:
            vals = _values(by[(p, m)], bench, None if b == "q" else b)
            ref = _values(by.get((p, DEFAULT), []), bench, None if b == "q" else b)
            ran = any(v == v for v in vals)
            txt = _cell(vals, ref or None, nd, m == DEFAULT) if ran else "not run"
            if bench == "nb201" and vals:
                txt += f", hits {sum(map(math.isfinite, vals))}/{len(vals)}"
            row.append(txt)
        row.append(_share([r for p in probs for r in by.get((p, m), [])]))
        rows.append(row)
    for p, b in cols:
        cells.append((f"{bench} {p} @{b}", _outcome(by, p, b, bench, baselines)))
    if bench == "transnas":  # 14 problems x 3 budgets: one table per budget is easier to read
        return _per_budget(header, rows, cols, budgets), cells
    return md_table(header, rows), cells


def _per_budget(header, rows, cols, budgets) -> str:
    out = []
    for b in budgets:
        idx = [i for i, (_, bb) in enumerate(cols) if bb == b]
        hdr = ["problem"] + [r[0] for r in rows]
        body = [[cols[i][0]] + [r[1 + i].split(", p=")[0] for r in rows] for i in idx]
        out.append(f"Budget {b}: median normalised regret [95% CI] (0 = table optimum)\n\n"
                   + md_table(hdr, body))  # fmt: skip
    out.append(md_table(["method", "diffusion share"], [[r[0], r[-1]] for r in rows]))
    return "\n\n".join(out)


def _outcome(by, p, b, bench, baselines) -> str:
    """win / tie (all at the optimum) / loss of the default's median against the baselines."""
    sign = DIRECTION[bench]
    key = None if b == "q" else b
    mine = _values(by.get((p, DEFAULT), []), bench, key)
    others = [_values(by[(p, m)], bench, key) for m in baselines if (p, m) in by]
    others = [v for v in others if any(x == x for x in v)]  # runs that reached this budget
    if not mine or not others:
        return "n/a"
    med = lambda v: float(np.median([x for x in v if x == x])) if v else math.nan  # noqa: E731
    mm, om = med(mine), [med(v) for v in others]
    if bench == "nb201" and sum(map(math.isfinite, mine)) < 0.95 * len(mine):
        return "loss (hits < 95%)"
    if all(sign * (mm - o) > 0 for o in om):
        return "win"
    at_opt = bench == "transnas" and mm == 0.0 and min(om) == 0.0  # nobody can beat it
    if at_opt:
        return "tie at the optimum"
    best = max(om) if sign > 0 else min(om)
    return "tie with best baseline (not counted)" if mm == best else "loss"


def _fewer(recs: list[dict], seeds: list[int]) -> str:
    """``"; fewer: <method> <lo>..<hi> (n)"`` for methods run on fewer seeds than the table."""
    by: dict[str, set[int]] = {}
    for r in recs:
        by.setdefault(r["method"], set()).add(r["seed"])
    short = [f"{m} {min(v)}..{max(v)} ({len(v)})" for m, v in by.items() if len(v) < len(seeds)]
    return "; fewer seeds: " + ", ".join(short) if short else ""


def kept_cells(bench: str, doc: Path = DOC) -> list[tuple[str, str]]:
    """The ``(cell, outcome)`` rows of ``bench`` in the summary section already in ``doc``."""
    text = doc.read_text() if doc.exists() else ""
    begin, end = "<!-- BEGIN summary -->", "<!-- END summary -->"
    if begin not in text or end not in text:
        return []
    block = text.split(begin, 1)[1].split(end, 1)[0]
    rows = [line.strip().strip("|").split("|") for line in block.splitlines()]
    return [(c.strip(), o.strip()) for c, o in (r for r in rows if len(r) == 2)
            if c.strip().startswith(f"{bench} ")]  # fmt: skip


def write_doc(raw: Path, order: list[str], baselines: Sequence[str]) -> None:
    """Write every available benchmark's tables into docs/results_search.md."""
    summary, seeds_used, carried = [], {}, []
    for bench in DIRECTION:
        path = raw / f"{bench}.json"
        if not path.exists():  # its sections stay as generated before; so do its cells
            kept = kept_cells(bench)
            summary += kept
            carried += [bench] if kept else []
            continue
        allr = json.loads(path.read_text())
        for part, keep in (("report", lambda s: s < 100), ("tuning", lambda s: 100 <= s < 200)):
            recs = [r for r in allr if keep(r["seed"])]
            if not recs:
                continue
            text, cells = tables(recs, bench, order, baselines)
            seeds = sorted({r["seed"] for r in recs})
            seeds_used[(bench, part)] = seeds
            note = f"Seeds {seeds[0]}..{seeds[-1]} ({len(seeds)}){_fewer(recs, seeds)}.\n\n"
            update_section(DOC, f"{bench}-{part}", note + text)
            if part == "report":
                summary += cells
    wins = sum(o == "win" for _, o in summary)
    ties = sum(o == "tie at the optimum" for _, o in summary)
    lines = [f"Default vs every baseline ({', '.join(baselines)}), on the reported seeds: "
             f"{wins} wins, {ties} ties at the optimum, {len(summary) - wins - ties} other "
             f"(losses, or ties with the best baseline) of {len(summary)} cells "
             "(target: >= 80% wins or ties at the optimum).", "",
             md_table(["cell", "default"], [[c, o] for c, o in summary]), "",
             f"Generated at commit {git_rev()} on {machine()}."]  # fmt: skip
    if carried:
        lines.append(f"The cells of {', '.join(carried)} are carried over from the previous "
                     "generation of this table (no raw file in this checkout); so are "
                     "their sections.")  # fmt: skip
    update_section(DOC, "summary", "\n".join(lines))
