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

import csv
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness._io import load_torch
from ednag_opt.fitness.table import Table, TableFitness

__all__ = [
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
_CSV = "transnas-bench-101/tnb101_{space}_val_final.csv"


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


def load_transnas_csv(space: str, path: str | Path | None = None) -> Table:
    """Final-epoch validation metrics of every task from a NASLib-style CSV.

    Parameters
    ----------
    space : {"micro", "macro"}
        Search space.
    path : str or Path, optional
        CSV file; default ``transnas-bench-101/tnb101_<space>_val_final.csv`` in the data
        directory.

    Returns
    -------
    Table
        Columns ``"<task>/<metric>"`` (e.g. ``"room_layout/valid_neg_loss"``).
    """
    space = _check_space(space)
    path = find_data_file(_CSV.format(space=space)) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"TransNAS-Bench-101 CSV not found: {path}")
    return _load_csv(str(path.resolve()), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _load_csv(path: str, _mtime: int) -> Table:
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if "arch_str" not in header:
            raise ValueError(f"{path}: no 'arch_str' column; header {header}")
        cols: dict[str, int] = {}
        for j, h in enumerate(header):
            task = next((t for t in TNB_TASKS if h.startswith(t + "_")), None)
            if task is not None:
                cols[f"{task}/{h[len(task) + 1 :]}"] = j
        ia = header.index("arch_str")
        archs, rows = [], []
        for rec in reader:
            if rec:
                archs.append(rec[ia])
                rows.append([float(rec[j]) if rec[j] else np.nan for j in cols.values()])
    data = np.array(rows, dtype=np.float64).reshape(len(rows), len(cols))
    columns = {name: data[:, k] for k, name in enumerate(cols)}
    return Table(archs, columns, {name: metric_direction(name) for name in columns})


def load_transnas_official(
    source: str | Path | Mapping[str, Any], space: str, *, epoch: str = "final"
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

    Returns
    -------
    Table
        Columns ``"<task>/<metric>"`` for every metric and ``model_info`` entry found.
    """
    space = _check_space(space)
    if epoch not in ("final", "best"):
        raise ValueError(f"epoch must be 'final' or 'best', got {epoch!r}")
    if isinstance(source, Mapping):
        return _official_tables(source, epoch)[space]
    path = Path(source).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"TransNAS-Bench-101 file not found: {path}")
    return _official_from_path(str(path), path.stat().st_mtime_ns, epoch)[space]


@functools.lru_cache(maxsize=2)
def _official_from_path(path: str, _mtime: int, epoch: str) -> dict[str, Table]:
    doc = load_torch(path)
    if not isinstance(doc, Mapping):
        raise ValueError(f"{path}: expected a dict, got {type(doc).__name__}")
    return _official_tables(doc, epoch)


def _reduce(values: Any, maximize: bool, epoch: str) -> float:
    if isinstance(values, int | float):
        return float(values)
    xs = [float(v) for v in values]
    if not xs:
        return np.nan
    if epoch == "final":
        return xs[-1]
    return max(xs) if maximize else min(xs)


def _official_tables(doc: Mapping[str, Any], epoch: str) -> dict[str, Table]:
    if "data" not in doc or not isinstance(doc["data"], Mapping):
        raise ValueError("not a TransNAS-Bench-101 database: missing dict key 'data'")
    out = {}
    for space in TNB_SPACES:
        per_arch = doc["data"].get(space, {})
        archs = [str(a) for a in per_arch]
        values: dict[str, np.ndarray] = {}
        for i, arch in enumerate(per_arch):
            for task, res in per_arch[arch].items():
                items = [(m, v, metric_direction(m)) for m, v in res.get("metrics", {}).items()]
                items += [(m, v, False) for m, v in res.get("model_info", {}).items()]
                for m, v, maximize in items:
                    col = values.setdefault(f"{task}/{m}", np.full(len(archs), np.nan))
                    col[i] = _reduce(v, maximize, epoch)
        out[space] = Table(archs, values, {k: metric_direction(k) for k in values})
    return out


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
    ) -> None:
        self.task = _check_task(task)
        self.search_space = _check_space(space)
        if isinstance(source, Table):
            table = source
        elif isinstance(source, Mapping):
            table = load_transnas_official(source, space, epoch=epoch)
        elif source in ("auto", "csv"):
            table = load_transnas_csv(space)
        elif Path(source).suffix == ".csv":
            table = load_transnas_csv(space, source)
        else:
            table = load_transnas_official(source, space, epoch=epoch)
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
