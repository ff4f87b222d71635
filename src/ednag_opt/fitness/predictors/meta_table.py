"""The meta-training table of the transferable predictor: (task, architecture, accuracy) rows
such as ``data/meta/nb201_digits_meta.csv`` (written by ``benchmarks/make_meta_table.py``)."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ednag_opt.training.tasks import HELD_OUT

__all__ = ["read_meta_table", "task_arch_targets"]


def read_meta_table(path: str | Path) -> list[dict[str, str]]:
    """Rows of a meta-training CSV (``#`` lines are comments)."""
    with open(path, newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def task_arch_targets(
    data: Any, target: str = "val_acc", tasks: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """``{task: {arch: mean target}}`` from a CSV path, dict rows (``task``, ``arch`` and the
    ``target`` column) or ``(task, arch, value)`` triples; repeated pairs are averaged.
    ``tasks=None`` keeps every task not in :data:`ednag_opt.training.tasks.HELD_OUT`."""
    if isinstance(data, str | Path):
        data = read_meta_table(data)
    sums: dict[str, dict[str, list[float]]] = {}
    for row in data:
        t, a, y = (row["task"], row["arch"], row[target]) if isinstance(row, dict) else row
        sums.setdefault(str(t), {}).setdefault(str(a), []).append(float(y))
    keep = [t for t in sums if t not in HELD_OUT] if tasks is None else list(tasks)
    missing = [t for t in keep if t not in sums]
    if missing:
        raise ValueError(f"no rows for tasks {missing}")
    if not keep:
        raise ValueError("no training tasks")
    return {t: {a: float(np.mean(v)) for a, v in sums[t].items()} for t in keep}
