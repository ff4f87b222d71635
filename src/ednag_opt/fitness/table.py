"""Tabular fitness: a precomputed column of values per architecture string."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from ednag_opt.fitness._io import TableFormatError
from ednag_opt.fitness.base import FitnessSource

__all__ = ["Optimum", "Table", "TableFitness"]


@dataclass(frozen=True)
class Optimum:
    """Best entry of a table column.

    Attributes
    ----------
    value : float
        Best value (largest if ``maximize`` else smallest), NaN ignored.
    arch : str
        Architecture string of the best entry (the first one on ties).
    index : int or None
        Benchmark index of that architecture, when the table has one.
    metric : str
        Column the optimum refers to.
    maximize : bool
        Direction used.
    ties : tuple of str
        Every architecture with exactly this value (``arch`` first). Use it to count a
        search as having found the optimum.
    """

    value: float
    arch: str
    index: int | None
    metric: str
    maximize: bool
    ties: tuple[str, ...] = ()


class Table:
    """Immutable columns of values aligned with a list of architecture strings.

    Parameters
    ----------
    archs : sequence of str
        Architecture strings, one per row, unique.
    columns : mapping of str to array
        Per-row values, each of shape ``(len(archs),)``; NaN where unknown.
    directions : mapping of str to bool
        ``True`` if larger is better, for every column.
    indices : array of int, optional
        Benchmark index of each row.
    per_seed : mapping of str to array, optional
        Per-seed values of some columns, shape ``(len(archs), n_seeds)`` NaN-padded.
    origin : str, optional
        Where the data came from (a file), named in error messages.

    Raises
    ------
    TableFormatError
        (a ValueError) on repeated architecture strings or an infinite value, naming the
        origin, the row, the architecture and the column.
    """

    def __init__(
        self,
        archs: Sequence[str],
        columns: Mapping[str, np.ndarray],
        directions: Mapping[str, bool],
        *,
        indices: np.ndarray | None = None,
        per_seed: Mapping[str, np.ndarray] | None = None,
        origin: str | None = None,
    ) -> None:
        self.archs = list(archs)
        self.origin = origin
        where = f"{origin}: " if origin else ""
        self.row = {a: i for i, a in enumerate(self.archs)}
        if len(self.row) != len(self.archs):
            dup = _first_repeat(self.archs)
            raise TableFormatError(
                f"{where}architecture strings of a table must be unique; row {dup} repeats "
                f"{self.archs[dup]!r} (row {self.archs.index(self.archs[dup])})"
            )
        n = len(self.archs)
        self.columns: dict[str, np.ndarray] = {}
        for name, col in columns.items():
            arr = np.ascontiguousarray(col, dtype=np.float64)
            if arr.shape != (n,):
                raise ValueError(f"column {name!r} has shape {arr.shape}, expected ({n},)")
            self._check_finite(arr, name, where)
            arr.setflags(write=False)
            self.columns[name] = arr
        missing = set(self.columns) - set(directions)
        if missing:
            raise ValueError(f"no direction given for columns {sorted(missing)}")
        self.directions = {k: bool(directions[k]) for k in self.columns}
        self.indices = None if indices is None else np.asarray(indices, dtype=np.int64)
        self.per_seed: dict[str, np.ndarray] = {}
        for name, arr in (per_seed or {}).items():
            arr = np.ascontiguousarray(arr, dtype=np.float64)
            if arr.ndim != 2 or arr.shape[0] != n:
                raise ValueError(f"per-seed {name!r} has shape {arr.shape}, expected ({n}, S)")
            self._check_finite(arr, f"{name} (per seed)", where)
            arr.setflags(write=False)
            self.per_seed[name] = arr

    def _check_finite(self, arr: np.ndarray, name: str, where: str) -> None:
        bad = np.flatnonzero(np.isinf(arr).reshape(len(arr), -1).any(axis=1)) if arr.size else []
        if len(bad):
            i = int(bad[0])
            raise TableFormatError(
                f"{where}infinite value in column {name!r}, row {i} (architecture "
                f"{self.archs[i]!r}); {len(bad)} such row(s). Values must be finite or NaN"
            )

    def __len__(self) -> int:
        return len(self.archs)

    def rows(self, archs: Sequence[Any], *, space: str = "table") -> np.ndarray:
        """Row numbers of a batch (``str(arch)`` lookup).

        Raises
        ------
        KeyError
            Naming the first architecture not in the table and an example of a valid key.
        """
        row = self.row
        try:
            return np.fromiter(
                (row[a if type(a) is str else str(a)] for a in archs), np.int64, len(archs)
            )
        except KeyError as exc:
            example = self.archs[0] if self.archs else "?"
            raise KeyError(
                f"architecture {exc.args[0]!r} is not in the {space} "
                f"({len(self.archs)} entries, e.g. {example!r})"
            ) from None

    def merge(self, other: Table, columns: Sequence[str] | None = None) -> Table:
        """A new table with columns (and their per-seed values) of ``other`` added, aligned
        by architecture string; they replace same-named columns of ``self``.

        Rows of ``self`` that ``other`` lacks get NaN. ``columns`` defaults to all of them.
        """
        names = list(other.columns) if columns is None else list(columns)
        pos = np.array([other.row.get(a, -1) for a in self.archs], dtype=np.int64)
        hit = pos >= 0
        cols = dict(self.columns)
        dirs = dict(self.directions)
        seeds = dict(self.per_seed)
        for name in names:
            col = np.full(len(self.archs), np.nan)
            col[hit] = other.columns[name][pos[hit]]
            cols[name] = col
            dirs[name] = other.directions[name]
            seeds.pop(name, None)
            if name in other.per_seed:
                src = other.per_seed[name]
                arr = np.full((len(self.archs), src.shape[1]), np.nan)
                arr[hit] = src[pos[hit]]
                seeds[name] = arr
        indices = self.indices
        if indices is None and other.indices is not None:
            indices = np.full(len(self.archs), -1, dtype=np.int64)
            indices[hit] = other.indices[pos[hit]]
        return Table(self.archs, cols, dirs, indices=indices, per_seed=seeds, origin=self.origin)


def _first_repeat(items: Sequence[str]) -> int:
    seen: set[str] = set()
    for i, a in enumerate(items):
        if a in seen:
            return i
        seen.add(a)
    return -1


class TableFitness(FitnessSource):
    """Fitness read from a :class:`Table` column; extra columns are available via
    :meth:`query`.

    Parameters
    ----------
    table : Table
        The data.
    metric : str
        Column used by ``__call__``.
    name : str
        Identifier of this fitness.
    space : str
        Search-space name, used in error messages.
    """

    def __init__(self, table: Table, metric: str, *, name: str, space: str = "table") -> None:
        self.table = table
        self.space = space
        self.metric = self._check_metric(metric)
        self.maximize = table.directions[self.metric]
        self.name = name

    @property
    def metrics(self) -> dict[str, bool]:  # type: ignore[override]
        return dict(self.table.directions)

    def _check_metric(self, metric: str) -> str:
        if metric not in self.table.columns:
            raise ValueError(
                f"unknown metric {metric!r} for {self.space}; "
                f"available: {sorted(self.table.columns)}"
            )
        return metric

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        return self.query(archs, None)

    def query(self, archs: Sequence[Any], metric: str | None = None) -> torch.Tensor:
        """Values of ``metric`` (default: the fitness metric) for a batch, float64."""
        name = self.metric if metric is None else self._check_metric(metric)
        table = self.table
        return torch.from_numpy(table.columns[name][table.rows(archs, space=self.space)])

    def optimum(self, metric: str | None = None) -> Optimum:
        """Best value of ``metric`` (default: the fitness metric) over the whole table.

        Ties go to the smallest benchmark index (else the first row); all tied
        architectures are listed in :attr:`Optimum.ties`.
        """
        metric = self.metric if metric is None else self._check_metric(metric)
        col = self.table.columns[metric]
        maximize = self.table.directions[metric]
        if np.all(np.isnan(col)):
            raise ValueError(f"metric {metric!r} has no values in this table")
        best = float(np.nanmax(col) if maximize else np.nanmin(col))
        tied = np.flatnonzero(col == best)
        indices = self.table.indices
        if indices is not None:
            keyed = np.where(indices[tied] >= 0, indices[tied], np.iinfo(np.int64).max)
            tied = tied[np.argsort(keyed, kind="stable")]
        i = int(tied[0])
        index = None if indices is None or indices[i] < 0 else int(indices[i])
        archs = self.table.archs
        return Optimum(best, archs[i], index, metric, maximize, tuple(archs[j] for j in tied))

    def __len__(self) -> int:
        return len(self.table)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(name={self.name!r}, metric={self.metric!r}, "
            f"maximize={self.maximize}, entries={len(self.table)})"
        )
