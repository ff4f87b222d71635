"""Tables of bench_multiobjective.py, from its raw per-seed rows (results/mo/*.json).

Every cell is the median over seeds with a 95% percentile-bootstrap interval of the median
(``_search_report.median_ci``) and, for every method but EDNAG, a two-sided Mann-Whitney
p-value against EDNAG (the default). "ednag >= nsga2" compares the medians.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from _nas_common import md_table
from _search_report import median_ci, mw_p

__all__ = ["fmt_med", "report_blackbox", "report_nb201", "report_ofa", "tally"]

DATASETS = ("cifar10", "cifar100", "ImageNet16-120")
STAT = "median [95% bootstrap CI of the median]; p: two-sided Mann-Whitney vs ednag"


def fmt_med(values: list[float], ref: list[float] | None = None, nd: int = 4) -> str:
    """``median [lo, hi]`` (95% bootstrap CI), with ``, p=..`` against ``ref`` if given."""
    m, lo, hi = median_ci(values)
    p = "" if ref is None else f", p={mw_p(values, ref):.2g}"
    return f"{m:.{nd}f} [{lo:.{nd}f}, {hi:.{nd}f}]{p}"


def _med(values: list[float]) -> float:
    return median_ci(values)[0]


def _group(rows: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[tuple, list[dict]]:
    by: dict[tuple, list[dict]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["seed"]):
        by[tuple(r[k] for k in keys)].append(r)
    return by


def _cells(rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    def order(c: tuple[str, str]) -> tuple[int, str]:
        return (DATASETS.index(c[0]) if c[0] in DATASETS else 9, c[1])

    return sorted({(r["dataset"], r["device"]) for r in rows}, key=order)


def _line(rs: dict[str, list[dict]], methods: list[str], key: str) -> list[str]:
    ref = [r[key] for r in rs.get("ednag", [])] or None
    return [
        fmt_med([r[key] for r in rs[m]], None if m == "ednag" else ref) if rs.get(m) else "-"
        for m in methods
    ]


def tally(rows: list[dict[str, Any]], key: str, a: str = "ednag", b: str = "nsga2") -> str:
    """How many cells have ``a``'s median >= ``b``'s, and the significant (p < 0.05) ones."""
    by = _group(rows, ("dataset", "device", "method"))
    n = ge = win = loss = 0
    for d, dev in _cells(rows):
        x = [r[key] for r in by.get((d, dev, a), [])]
        y = [r[key] for r in by.get((d, dev, b), [])]
        if not x or not y:
            continue
        n += 1
        ge += _med(x) >= _med(y)
        if mw_p(x, y) < 0.05:
            win += _med(x) > _med(y)
            loss += _med(x) < _med(y)
        # equal medians with p < 0.05 count as neither
    return (f"{a} median >= {b}'s in {ge} of {n} cells; p < 0.05 in {win + loss} "
            f"({win} for {a}, {loss} for {b})")  # fmt: skip


def report_nb201(rows: list[dict[str, Any]], budgets: list[int], methods: list[str],
                 fronts: dict[str, int], networks: dict[str, int] | None = None) -> str:
    """Markdown: HV ratio per cell and budget, recovered share at the largest budget (of
    the front's cells, and of its distinct networks where the rows have them)."""
    by = _group(rows, ("dataset", "device", "method"))
    cells = _cells(rows)
    out = []
    for b in budgets:
        body = []
        for d, dev in cells:
            rs = {m: by.get((d, dev, m), []) for m in methods}
            line = [d, dev, *_line(rs, methods, f"hv@{b}")]
            if rs.get("ednag") and rs.get("nsga2"):
                e, n = ([r[f"hv@{b}"] for r in rs[m]] for m in ("ednag", "nsga2"))
                line.append("yes" if _med(e) >= _med(n) else "**no**")
            body.append(line)
        header = ["dataset", "cost", *methods]
        if "ednag" in methods and "nsga2" in methods:
            header.append("ednag >= nsga2")
        counts = [tally(rows, f"hv@{b}", a=m) for m in methods
                  if m == "ednag" or m.startswith("ednag,")]  # fmt: skip
        out.append(f"**Hypervolume ratio at {b} unique queries** ({STAT})\n\n"
                   + md_table(header, body) + "\n\n" + "; ".join(counts) + ".")  # fmt: skip
    b = max(budgets)
    out.append(_recovered(rows, methods, f"recovered@{b}", fronts, "front size",
                          f"**Share of the true front recovered within {b} queries**"))
    scored = [r for r in rows if f"networks@{b}" in r]  # rows of earlier runs lack it
    if scored:
        out.append(_recovered(scored, methods, f"networks@{b}", networks or {}, "networks",
                              "**Share of the true front's distinct networks (pruned cells) "
                              f"recovered within {b} queries**"))  # fmt: skip
    return "\n\n".join(out)


def _recovered(rows: list[dict[str, Any]], methods: list[str], key: str,
               sizes: dict[str, int], size_name: str, title: str) -> str:  # fmt: skip
    by = _group(rows, ("dataset", "device", "method"))
    body = [[d, dev, str(sizes.get(f"{d}/{dev}", "?")),
             *_line({m: by.get((d, dev, m), []) for m in methods}, methods, key)]
            for d, dev in _cells(rows)]  # fmt: skip
    counts = [tally(rows, key, a=m) for m in methods if m == "ednag" or m.startswith("ednag,")]
    return (f"{title} ({STAT})\n\n" + md_table(["dataset", "cost", size_name, *methods], body)
            + "\n\n" + "; ".join(counts) + ".")  # fmt: skip


def report_blackbox(rows: list[dict[str, Any]]) -> str:
    """Markdown: HV ratio of all evaluated points per black-box problem."""
    by = _group(rows, ("problem", "method"))
    methods = ["ednag", "nsga2"] + [m for m in dict.fromkeys(r["method"] for r in rows)
                                    if m not in ("ednag", "nsga2")]  # fmt: skip
    body = []
    for name in dict.fromkeys(r["problem"] for r in rows):
        e = [r["hv"] for r in by[(name, "ednag")]]
        body.append([name, fmt_med(e)] + [fmt_med([r["hv"] for r in by[(name, m)]], e)
                                          for m in methods[1:]])  # fmt: skip
    return ("**Black box: hypervolume ratio of all evaluated points, 10,000 evaluations** "
            f"({STAT})\n\n" + md_table(["problem", *methods], body))  # fmt: skip


def report_ofa(rows: list[dict[str, Any]], budgets: list[int], methods: list[str]) -> str:
    """Markdown: HV ratio to the pooled front and share of it found, per budget."""
    by = _group(rows, ("method",))
    hv, rec = [], []
    for b in budgets:
        rs = {m: by.get((m,), []) for m in methods}
        hv.append([str(b), *_line(rs, methods, f"hv@{b}")])
        rec.append([str(b), *_line(rs, methods, f"recovered@{b}")])
    size = rows[0]["reference_front"] if rows else 0
    return ("**OFA MobileNetV3, accuracy predictor x Note10 latency: hypervolume ratio to the "
            f"pooled front** ({STAT})\n\n" + md_table(["calls", *methods], hv)
            + f"\n\n**Share of the pooled front ({size} subnets) found** ({STAT})\n\n"
            + md_table(["calls", *methods], rec))  # fmt: skip
