"""TransNAS-Bench-101 fitness: seven tasks on the micro (cell) and macro (skeleton) spaces.

Architecture strings are the benchmark's: micro ``64-41414-a_bc_def`` (ops 0 zeroize,
1 skip, 2 conv1x1, 3 conv3x3), macro ``64-<digits>-basic``.

Sources:

* the NASLib-derived CSVs ``tnb101_{micro,macro}_val_final.csv`` (final-epoch validation
  metric of each task; columns ``<task>_<metric>``);
* the official ``transnas-bench_v10141024.pth`` (``torch.save`` dict, read without the
  official package; fixture-tested only). Keys read: ``data`` {space: {arch: {task:
  {"metrics": {metric: [value per epoch]}, "model_info": {info: value}}}}}. Values are
  taken at the last epoch (``epoch="final"``, like the CSVs) or the best epoch
  (``epoch="best"``, direction-aware).

Columns are named ``"<task>/<metric>"``; a fitness accepts the bare metric of its own task.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness._io import (
    TableFormatError,
    check_complete,
    load_torch,
    parse_cell,
    read_csv_rows,
)
from ednag_opt.fitness.table import Table, TableFitness

__all__ = [
    "TNB_SIZES",
    "TNB_TASKS",
    "TNB_SPACES",
    "TNB_VALID_METRIC",
    "TransNASFitness",
    "load_transnas_csv",
    "load_transnas_official",
    "metric_direction",
]

TNB_TASKS: tuple[str, ...] = (
    "class_scene",
    "class_object",
    "jigsaw",
    "room_layout",
    "segmentsemantic",
    "normal",
    "autoencoder",
)
TNB_SPACES: tuple[str, ...] = ("micro", "macro")
#: Main validation metric of each task. All are maximised; ``room_layout``'s is the
#: NEGATIVE L2 loss (so larger is better), the others are top-1 accuracy (class_*,
#: jigsaw), pixel accuracy (segmentsemantic) and SSIM (normal, autoencoder).
TNB_VALID_METRIC: dict[str, str] = {
    "class_scene": "valid_top1",
    "class_object": "valid_top1",
    "jigsaw": "valid_top1",
    "room_layout": "valid_neg_loss",
    "segmentsemantic": "valid_acc",
    "normal": "valid_ssim",
    "autoencoder": "valid_ssim",
}
#: Number of architectures of each space; a complete table has one row per architecture.
TNB_SIZES: dict[str, int] = {"micro": 4096, "macro": 3256}
_CSV = "transnas-bench-101/tnb101_{space}_val_final.csv"
_ARCH_RE = {
    "micro": re.compile(r"64-41414-[0-3]_[0-3]{2}_[0-3]{3}"),
    "macro": re.compile(r"64-[1-4]{4,6}-basic"),
}


def metric_direction(metric: str) -> bool:
    """Whether larger is better for a TransNAS metric name (bare or ``task/metric``).

    Losses (``*_loss``, ``*_l1_loss``), times, parameter and FLOP counts are minimised;
    negative losses (``*_neg_loss``), accuracies, top-k, mIoU and SSIM are maximised.
    """
    m = metric.rsplit("/", 1)[-1].lower()
    if "neg_loss" in m:
        return True
    return not any(t in m for t in ("loss", "time", "params", "flops"))


def _check_task(task: str) -> str:
    if task not in TNB_TASKS:
        raise ValueError(f"unknown TransNAS-Bench-101 task {task!r}; valid: {list(TNB_TASKS)}")
    return task


def _check_space(space: str) -> str:
    if space not in TNB_SPACES:
        raise ValueError(f"unknown TransNAS-Bench-101 space {space!r}; valid: {list(TNB_SPACES)}")
    return space


def load_transnas_csv(
    space: str, path: str | Path | None = None, *, allow_partial: bool = False
) -> Table:
    """Final-epoch validation metrics of every task from a NASLib-style CSV.

    Parameters
    ----------
    space : {"micro", "macro"}
        Search space.
    path : str or Path, optional
        CSV file; default ``transnas-bench-101/tnb101_<space>_val_final.csv`` in the data
        directory.
    allow_partial : bool
        Accept a file with fewer rows than the space has architectures (:data:`TNB_SIZES`).

    Returns
    -------
    Table
        Columns ``"<task>/<metric>"`` (e.g. ``"room_layout/valid_neg_loss"``).

    Raises
    ------
    TableFormatError
        (a ValueError) naming the file, line and column of a malformed cell;
        :class:`IncompleteTableError` if rows are missing and ``allow_partial`` is false.
    """
    space = _check_space(space)
    path = find_data_file(_CSV.format(space=space)) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"TransNAS-Bench-101 CSV not found: {path}")
    table = _load_csv(str(path.resolve()), path.stat().st_mtime_ns, space)
    what = f"TransNAS-Bench-101 {space}"
    check_complete(path, len(table), TNB_SIZES[space], what, allow_partial=allow_partial)
    return table


@functools.lru_cache(maxsize=4)
def _load_csv(path: str, _mtime: int, space: str) -> Table:
    header, rows = read_csv_rows(path, ["arch_str"])
    cols: dict[str, int] = {}
    for j, h in enumerate(header):
        task = next((t for t in TNB_TASKS if h.startswith(t + "_")), None)
        if task is not None:
            cols[f"{task}/{h[len(task) + 1 :]}"] = j
    ia = header.index("arch_str")
    archs, values = [], []
    for line, rec in rows:
        if not _ARCH_RE[space].fullmatch(rec[ia]):
            raise TableFormatError(
                f"{path}, line {line}, column 'arch_str': {rec[ia]!r} is not a TransNAS-Bench-101 "
                f"{space} architecture"
            )
        archs.append(rec[ia])
        values.append([parse_cell(rec[j], path, line, header[j]) for j in cols.values()])
    data = np.array(values, dtype=np.float64).reshape(len(values), len(cols))
    columns = {name: data[:, k] for k, name in enumerate(cols)}
    directions = {name: metric_direction(name) for name in columns}
    return Table(archs, columns, directions, origin=path)


def load_transnas_official(
    source: str | Path | Mapping[str, Any],
    space: str,
    *,
    epoch: str = "final",
    allow_partial: bool = False,
) -> Table:
    """All metrics of all tasks from the official ``transnas-bench_v10141024.pth``.

    Parameters
    ----------
    source : str, Path or dict
        The ``.pth`` file or the dict it holds.
    space : {"micro", "macro"}
        Search space (a key of ``data``).
    epoch : {"final", "best"}
        Per-epoch metric lists are reduced to their last value or their best value
        (max, or min for minimised metrics).
    allow_partial : bool
        Accept fewer architectures than the space has (:data:`TNB_SIZES`).

    Returns
    -------
    Table
        Columns ``"<task>/<metric>"`` for every metric and ``model_info`` entry found.

    Raises
    ------
    TableFormatError
        (a ValueError) naming the source, architecture and column of a malformed entry;
        :class:`IncompleteTableError` if architectures are missing and ``allow_partial``
        is false.
    """
    space = _check_space(space)
    if epoch not in ("final", "best"):
        raise ValueError(f"epoch must be 'final' or 'best', got {epoch!r}")
    if isinstance(source, Mapping):
        origin = "TransNAS-Bench-101 dict"
        table = _official_tables(source, epoch, origin)[space]
    else:
        path = Path(source).resolve()
        if not path.is_file():
            raise FileNotFoundError(f"TransNAS-Bench-101 file not found: {path}")
        origin = str(path)
        table = _official_from_path(origin, path.stat().st_mtime_ns, epoch)[space]
    what = f"TransNAS-Bench-101 {space}"
    check_complete(origin, len(table), TNB_SIZES[space], what, allow_partial=allow_partial)
    return table


@functools.lru_cache(maxsize=2)
def _official_from_path(path: str, _mtime: int, epoch: str) -> dict[str, Table]:
    doc = load_torch(path)
    if not isinstance(doc, Mapping):
        raise TableFormatError(f"{path}: expected a dict, got {type(doc).__name__}")
    return _official_tables(doc, epoch, path)


def _reduce(values: Any, maximize: bool, epoch: str) -> float:
    if isinstance(values, int | float):
        xs = [float(values)]
    else:
        xs = [float(v) for v in values]
    if any(math.isinf(x) for x in xs):
        raise ValueError(f"infinite value in {xs}")
    if not xs:
        return np.nan
    if epoch == "final" or len(xs) == 1:
        return xs[-1]
    return max(xs) if maximize else min(xs)


def _official_tables(doc: Mapping[str, Any], epoch: str, origin: str) -> dict[str, Table]:
    if "data" not in doc or not isinstance(doc["data"], Mapping):
        raise TableFormatError(
            f"{origin}: not a TransNAS-Bench-101 database: missing dict key 'data'"
        )
    out = {}
    for space in TNB_SPACES:
        per_arch = doc["data"].get(space, {})
        archs = [str(a) for a in per_arch]
        values: dict[str, np.ndarray] = {}
        for i, arch in enumerate(per_arch):
            for col, v, maximize in _arch_items(per_arch[arch], f"{origin}, {space} {arch!r}"):
                try:
                    value = _reduce(v, maximize, epoch)
                except (TypeError, ValueError) as exc:
                    raise TableFormatError(
                        f"{origin}, {space} architecture {arch!r} (row {i}), column {col!r}: "
                        f"not a finite number or list of numbers ({exc})"
                    ) from None
                values.setdefault(col, np.full(len(archs), np.nan))[i] = value
        directions = {k: metric_direction(k) for k in values}
        out[space] = Table(archs, values, directions, origin=f"{origin} ({space})")
    return out


def _arch_items(entry: Any, where: str) -> list[tuple[str, Any, bool]]:
    """``(column, raw value, maximize)`` of one architecture's ``{task: results}`` entry."""
    if not isinstance(entry, Mapping):
        raise TableFormatError(f"{where}: expected a dict of tasks, got {type(entry).__name__}")
    items = []
    for task, res in entry.items():
        metrics = res.get("metrics", {}) if isinstance(res, Mapping) else None
        info = res.get("model_info", {}) if isinstance(res, Mapping) else None
        if not isinstance(metrics, Mapping) or not isinstance(info, Mapping):
            raise TableFormatError(
                f"{where}, task {task!r}: expected dicts 'metrics' and 'model_info'"
            )
        items += [(f"{task}/{m}", v, metric_direction(m)) for m, v in metrics.items()]
        items += [(f"{task}/{m}", v, False) for m, v in info.items()]
    return items


class TransNASFitness(TableFitness):
    """TransNAS-Bench-101 performance of a task, looked up in a table.

    Parameters
    ----------
    task : str
        One of :data:`TNB_TASKS`.
    space : {"micro", "macro"}
        Search space; architectures are its strings.
    metric : str
        ``"valid"`` (default; the task's :data:`TNB_VALID_METRIC`, all maximised),
        ``"test"`` (its test counterpart; official file only), a bare metric of the task
        (``"valid_mIoU"``, ``"model_params"``, ...) or ``"<task>/<metric>"``.
    source : str, Path or dict
        ``"auto"`` / ``"csv"`` (the CSV in the data directory), a CSV path, the official
        ``.pth`` path or its loaded dict, or a prepared :class:`Table`.
    allow_partial : bool
        Accept a table file with fewer rows than the space has architectures (default:
        an :class:`~ednag_opt.fitness.IncompleteTableError` naming the file).
    epoch : {"final", "best"}
        Reduction of per-epoch lists in the official file (the CSVs are final-epoch).
    maximize : bool, optional
        Must match the metric's direction if given.
    name : str, optional
        Default ``"tnb101-<space>-<task>-<metric>"``.
    """

    def __init__(
        self,
        task: str = "class_scene",
        space: str = "micro",
        metric: str = "valid",
        source: str | Path | Mapping[str, Any] | Table = "auto",
        *,
        epoch: str = "final",
        maximize: bool | None = None,
        name: str | None = None,
        allow_partial: bool = False,
    ) -> None:
        self.task = _check_task(task)
        self.search_space = _check_space(space)
        part = {"allow_partial": allow_partial}
        if isinstance(source, Table):
            table = source
        elif isinstance(source, Mapping):
            table = load_transnas_official(source, space, epoch=epoch, **part)
        elif source in ("auto", "csv"):
            table = load_transnas_csv(space, **part)
        elif Path(source).suffix == ".csv":
            table = load_transnas_csv(space, source, **part)
        else:
            table = load_transnas_official(source, space, epoch=epoch, **part)
        self.table = table
        label = f"TransNAS-Bench-101 {space} table (task {task})"
        col = self._check_metric(metric)
        short = col.split("/", 1)[1]
        super().__init__(table, col, name=name or f"tnb101-{space}-{task}-{short}", space=label)
        if maximize is not None and bool(maximize) != self.maximize:
            raise ValueError(
                f"metric {col!r} is {'maximised' if self.maximize else 'minimised'}; "
                f"got maximize={maximize}"
            )

    def _check_metric(self, metric: str) -> str:
        m = {"valid": TNB_VALID_METRIC[self.task], "val": TNB_VALID_METRIC[self.task]}.get(
            metric, metric
        )
        if m == "test":
            m = TNB_VALID_METRIC[self.task].replace("valid_", "test_")
        col = m if "/" in m else f"{self.task}/{m}"
        if col not in self.table.columns:
            own = sorted(
                c.split("/", 1)[1] for c in self.table.columns if c.startswith(self.task + "/")
            )
            raise ValueError(
                f"unknown metric {metric!r} for TransNAS-Bench-101 task {self.task!r} in this "
                f"source; available: {own} (or '<task>/<metric>' of another task)"
            )
        return col
