"""The table of ``bench_transfer.py --device``: the same rows with the predictors on each
device."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from _nas_common import fmt_q, md_table, median_queries


def devices_table(
    recs: list[dict[str, Any]],
    devices: list[str],
    budget: int,
    tasks: Sequence[str],
    out: Path,
    part: str,
) -> str:
    """One row per (held-out task, method, device) of ``bench_transfer.py --device``.

    Args:
        recs: run records (``task``, ``method``, ``device``, ``q``, ``rounds``, times).
        devices: the devices, in row order.
        budget: the query budget (misses print as ``>budget``).
        tasks: the held-out tasks, in row order.
        out: folder of the ``priors_<part>[_<device>].json`` files (meta-training times).
        part: the benchmark part (``nb201``, ...).

    Returns:
        A markdown table (queries to the optimum, predictor fit and search seconds per
        round, wall seconds per run) and a line of meta-training seconds per device.
    """
    rows = []
    for held in [t for t in tasks if any(r["task"] == t for r in recs)]:
        for m in dict.fromkeys(r["method"] for r in recs):
            for dev in devices:
                rs = [r for r in recs if (r["task"], r["method"], r["device"]) == (held, m, dev)]
                if not rs:
                    continue
                qs = [r["q"] for r in rs]
                n = max(sum(r["rounds"] for r in rs), 1)
                med = fmt_q(median_queries(qs, budget)[0], budget)
                rows.append([held, m, dev, med, f"{sum(q is not None for q in qs)}/{len(rs)}",
                             f"{sum(r['fit_time'] for r in rs) / n:.3f}",
                             f"{sum(r['search_time'] for r in rs) / n:.3f}",
                             f"{np.mean([r['wall'] for r in rs]):.2f}"])  # fmt: skip
    fits = []
    for dev in devices:
        side = out / (f"priors_{part}.json" if dev == "cpu" else f"priors_{part}_{dev}.json")
        got = json.loads(side.read_text()) if side.exists() else {}
        t = [s for h in got.values() for v in h.get("transfer", []) for s in v[1:]]
        fits.append(f"{dev}: {np.mean(t):.1f} s per model" if t else f"{dev}: -")
    return md_table(["held out", "method", "device", "median queries", "hits / runs",
                     "fit s / round", "search s / round", "wall s / run"], rows) + (
        "\n\nMeta-training (conditioned prior): " + "; ".join(fits) + ".")  # fmt: skip
