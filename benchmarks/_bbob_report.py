"""Tables and plots of ``bench_bbob.py``'s runs: the COCO measure (runtime ECDFs).

The COCO measure at a budget ``b`` (evaluations per dimension) is the fraction of
(function, instance, target) triples reached within ``b * d`` evaluations, over COCO's 51
targets 1e2, 10^1.8, ..., 1e-8. Each run record holds ``hits``: for every target, the first
evaluation at which the error reached it (None if never).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
from _nas_common import md_table
from scipy import stats

from ednag_opt.problems.bbob import BBOB_GROUPS

Record = dict[str, Any]

__all__ = ["by_function", "ecdf_ci", "plot", "ratio_notes", "solved", "tables"]


def solved(records: list[Record], evals_per_dim: float) -> np.ndarray:
    """Per run, the fraction of the 51 targets reached within ``evals_per_dim * d``."""
    out = []
    for r in records:
        limit = evals_per_dim * r["dim"]
        out.append(np.mean([h is not None and h <= limit for h in r["hits"]]))
    return np.asarray(out)


def ecdf_ci(values: np.ndarray, reps: int = 1000) -> tuple[float, float, float]:
    """Mean and 95% percentile-bootstrap CI over runs."""
    if len(values) == 0:
        return math.nan, math.nan, math.nan
    rng = np.random.default_rng(0)
    boots = rng.choice(values, size=(reps, len(values)), replace=True).mean(axis=1)
    return float(values.mean()), float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))


def _pick(records: list[Record], method: str, dim: int, fids: tuple[int, ...]) -> list[Record]:
    return [r for r in records if r["method"] == method and r["dim"] == dim and r["fid"] in fids]


def _same_functions(records: list[Record], method: str, dim: int) -> bool:
    """Whether ``method`` ran the same functions as pycma at ``dim`` (or pycma did not run)."""
    fids = {r["fid"] for r in records if r["method"] == method and r["dim"] == dim}
    ref = {r["fid"] for r in records if r["method"] == "cma" and r["dim"] == dim}
    return not ref or fids == ref


def _pvalue(a: list[Record], b: list[Record], budget: float) -> str:
    """Two-sided Mann-Whitney p of the per-run fractions at ``budget`` ("-" if undefined)."""
    if not a or not b:
        return "-"
    x, y = solved(a, budget), solved(b, budget)
    if np.ptp(np.concatenate([x, y])) == 0:
        return "-"
    return f"{stats.mannwhitneyu(x, y).pvalue:.2g}"


def tables(records: list[Record]) -> str:
    """Markdown: per dimension and function group, the solved fraction at each budget."""
    methods = list(dict.fromkeys(r["method"] for r in records))
    budget = min(r["budget"] for r in records)
    checks = [b for b in (10, 100, 1000, 10000) if b < budget] + [budget]
    groups = {"all": tuple(range(1, 25)), **BBOB_GROUPS}
    lines = []
    for dim in sorted({r["dim"] for r in records}):
        rows = []
        for gname, fids in groups.items():
            for m in methods:
                sel = _pick(records, m, dim, fids)
                if not sel or (gname == "all" and not _same_functions(records, m, dim)):
                    continue  # an "all" row only over the functions pycma ran too
                cells = []
                for b in checks:
                    mean, lo, hi = ecdf_ci(solved(sel, b))
                    cells.append(f"{mean:.3f} ({lo:.2f}-{hi:.2f})")
                ref = _pick(records, "cma", dim, fids)
                pval = _pvalue(sel, ref, checks[-1]) if m != "cma" else "-"
                secs = np.median([r["seconds"] for r in sel])
                rows.append([gname, m, str(len(sel)), *cells, pval, f"{secs:.2f}"])
        header = ["group", "method", "runs", *[f"{b}·d" for b in checks],
                  f"p vs cma at {checks[-1]}·d", "s/run"]  # fmt: skip
        notes = [n for m in methods if m.startswith("ours") for n in ratio_notes(records, dim, m)]
        lines += [f"### d = {dim}", "", md_table(header, rows), "", *notes, ""]
    return "\n".join(lines)


def by_function(records: list[Record]) -> str:
    """Markdown: per dimension and function, each method's solved fraction at 10³·d and at
    the budget, and the Mann-Whitney p against pycma at both."""
    methods = [m for m in dict.fromkeys(r["method"] for r in records) if m != "cma"]
    budget = min(r["budget"] for r in records)
    checks = sorted({min(1000, budget), budget})
    rows = []
    for dim in sorted({r["dim"] for r in records}):
        for fid in sorted({r["fid"] for r in records}):
            ref = _pick(records, "cma", dim, (fid,))
            for m in methods:
                sel = _pick(records, m, dim, (fid,))
                if not sel:
                    continue
                cells = []
                for b in checks:
                    cma = f"{solved(ref, b).mean():.3f}" if ref else "-"
                    cells += [f"{solved(sel, b).mean():.3f}", cma, _pvalue(sel, ref, b)]
                rows.append([str(dim), f"f{fid}", m, str(len(sel)), *cells])
    header = ["d", "f", "method", "runs"]
    for b in checks:
        header += [f"{b}·d", f"cma {b}·d", f"p {b}·d"]
    return md_table(header, rows)


def ratio_notes(records: list[Record], dim: int, ours: str = "ours") -> list[str]:
    """Per group: the smallest ratio of ours' solved fraction to pycma's over 61
    log-spaced budgets from 1·d to the budget (and over those from 10·d on, past the
    initial random samples), and at how many of them ours is ahead."""
    budget = min(r["budget"] for r in records)
    grid = np.logspace(0, math.log10(budget), 61)
    out = []
    for gname, fids in BBOB_GROUPS.items():
        a, c = _pick(records, ours, dim, fids), _pick(records, "cma", dim, fids)
        if not a or not c:
            continue
        pairs = [(b, solved(a, b).mean(), solved(c, b).mean()) for b in grid]
        ratio = lambda t: (t[1] + 1e-9) / (t[2] + 1e-9)  # noqa: E731
        b, x, y = min(pairs, key=ratio)
        b10, x10, y10 = min((t for t in pairs if t[0] >= 10 - 1e-9), key=ratio)
        ahead = sum(p[1] > p[2] for p in pairs)
        behind = sum(p[1] < p[2] for p in pairs)
        out.append(f"- {gname}: {ours}/cma at worst {x / y if y else math.inf:.2f} "
                   f"({x:.3f} vs {y:.3f} at {b:.0f}·d), from 10·d on "
                   f"{x10 / y10 if y10 else math.inf:.2f} ({b10:.0f}·d); "
                   f"{ours} ahead at {ahead}/61 budgets, behind at {behind}/61")
    return out


def plot(records: list[Record], path: Path) -> None:
    """ECDF curves (solved fraction vs evaluations / d), one panel per group, all dims."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    methods = list(dict.fromkeys(r["method"] for r in records))
    budget = min(r["budget"] for r in records)
    grid = np.logspace(0, math.log10(budget), 60)
    groups = {"all": tuple(range(1, 25)), **BBOB_GROUPS}
    fig, axes = plt.subplots(2, 3, figsize=(13, 7), sharey=True)
    for ax, (gname, fids) in zip(axes.flat, groups.items()):
        for m in methods:
            sel = [r for r in records if r["method"] == m and r["fid"] in fids]
            if sel:
                ax.plot(grid, [solved(sel, b).mean() for b in grid], label=m)
        ax.set_xscale("log")
        ax.set_title(f"{gname} (f{fids[0]}-f{fids[-1]})")
        ax.set_xlabel("evaluations / d")
        ax.grid(alpha=0.3)
    axes[0, 0].set_ylabel("fraction of (f, instance, target) solved")
    axes[0, 0].legend(fontsize=8)
    dims = ",".join(str(d) for d in sorted({r["dim"] for r in records}))
    fig.suptitle(f"BBOB, d = {dims}, targets 1e2..1e-8")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
