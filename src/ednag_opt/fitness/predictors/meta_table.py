"""The meta-training table of the transferable predictor: (task, architecture, accuracy) rows
such as the bundled ``nb201_digits_meta.csv`` (written by ``benchmarks/make_meta_table.py``;
its path is :func:`ednag_opt.resources.meta_table_path`)."""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ednag_opt.fitness._io import TableFormatError, _last_byte, parse_cell
from ednag_opt.training.tasks import HELD_OUT

__all__ = ["read_meta_table", "task_arch_targets"]


def _numbered_rows(path: str | Path) -> list[tuple[int, dict[str, str]]]:
    """``(line number, row)`` of a meta-training CSV, checked for shape."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            numbered = [(i, ln) for i, ln in enumerate(fh, 1) if not ln.startswith("#")]
    except UnicodeDecodeError as exc:
        raise TableFormatError(f"{path}: not a UTF-8 text table ({exc})") from None
    reader = csv.DictReader(ln for _, ln in numbered)
    rows = []
    for rec in reader:
        line = numbered[reader.line_num - 1][0]
        if None in rec or None in rec.values():
            n = sum(k is not None and v is not None for k, v in rec.items())
            raise TableFormatError(
                f"{path}, line {line}: {n + len(rec.get(None) or [])} fields where the "
                f"header has {len(reader.fieldnames or [])} (a truncated or corrupt row)"
            )
        rows.append((line, rec))
    if reader.fieldnames is None:
        raise TableFormatError(f"{path}: empty file (no header row)")
    missing = [c for c in ("task", "arch") if c not in reader.fieldnames]
    if missing:
        raise TableFormatError(f"{path}: no columns {missing}; the header is {reader.fieldnames}")
    if rows and _last_byte(path) not in (b"\n", b"\r"):
        raise TableFormatError(
            f"{path}, line {rows[-1][0]}: the file ends inside this row (no final newline), "
            "so it is probably truncated"
        )
    return rows


def read_meta_table(path: str | Path) -> list[dict[str, str]]:
    """Rows of a meta-training CSV (``#`` lines are comments).

    Raises:
        TableFormatError: Naming the file and line of a malformed row, or the missing
            ``task`` / ``arch`` columns.
    """
    return [row for _, row in _numbered_rows(path)]


def task_arch_targets(
    data: Any, target: str = "val_acc", tasks: Iterable[str] | None = None
) -> dict[str, dict[str, float]]:
    """``{task: {arch: mean target}}`` from a CSV path, dict rows (``task``, ``arch`` and the
    ``target`` column) or ``(task, arch, value)`` triples; repeated pairs are averaged.
    ``tasks=None`` keeps every task not in :data:`ednag_opt.training.tasks.HELD_OUT`.

    Raises:
        TableFormatError: For a CSV path, naming the file, line and column of a target
            that is not a finite number (empty cells are skipped), or a missing column.
        KeyError: If dict rows lack the ``target`` column.
        ValueError: If a requested task has no rows, or no task is left.
    """
    sums: dict[str, dict[str, list[float]]] = {}
    if isinstance(data, str | Path):
        numbered = _numbered_rows(data)
        if numbered and target not in numbered[0][1]:
            raise TableFormatError(f"{data}: no column {target!r}; it has {list(numbered[0][1])}")
        for line, row in numbered:
            y = parse_cell(row[target], data, line, target)
            if not math.isnan(y):
                sums.setdefault(row["task"], {}).setdefault(row["arch"], []).append(y)
    else:
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
