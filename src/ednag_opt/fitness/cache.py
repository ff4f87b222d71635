"""Memoisation of a fitness source, with query counting and a JSON round trip."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import torch

from ednag_opt._io import atomic_write
from ednag_opt.fitness.base import FitnessSource, arch_key, as_fitness, to_fitness_tensor

__all__ = ["CachedFitness", "cached_rows", "restore_rows"]

_FORMAT = "ednag_opt.CachedFitness"
_VERSION = 1


def _encode(v: float) -> float | str:
    """JSON-safe float: non-finite values become the strings 'nan', 'inf', '-inf'."""
    return v if math.isfinite(v) else str(v)


def _decode(v: Any) -> float:
    if v is None:
        return math.nan
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise ValueError(f"expected a number, got {v!r}")
    return float(v)  # float("nan"), float("inf"), float("-inf") and numbers


def _read_doc(path: Path, maximize: bool) -> dict[str, Any]:
    """The checked content of a cache file; ValueError naming the file and the problem."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not a CachedFitness file: not UTF-8 text ({exc})") from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not a CachedFitness file: invalid JSON ({exc})") from None
    if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
        raise ValueError(f"{path} is not a CachedFitness file (format {_FORMAT!r})")
    if doc.get("version") != _VERSION:
        raise ValueError(f"{path}: unsupported CachedFitness version {doc.get('version')!r}")
    if bool(doc.get("maximize")) != maximize:
        raise ValueError(
            f"{path} holds values of a source with maximize={doc.get('maximize')}, "
            f"this one has maximize={maximize}"
        )
    values, history = doc.get("values"), doc.get("history", [])
    if not isinstance(values, dict):
        raise ValueError(f"{path}: malformed CachedFitness file, 'values' must be an object")
    if not isinstance(history, list):
        raise ValueError(f"{path}: malformed CachedFitness file, 'history' must be a list")
    out: dict[str, Any] = {"values": {}, "history": []}
    for k, v in values.items():
        try:
            out["values"][str(k)] = _decode(v)
        except ValueError as exc:
            raise ValueError(f"{path}: malformed value of key {k!r}: {exc}") from None
    for i, item in enumerate(history):
        try:
            if not isinstance(item, list) or len(item) != 2:
                raise ValueError(f"expected [key, value], got {item!r}")
            out["history"].append((str(item[0]), _decode(item[1])))
        except ValueError as exc:
            raise ValueError(f"{path}: malformed history entry {i}: {exc}") from None
    errors = doc.get("errors", {})  # absent in files of earlier versions
    if not isinstance(errors, dict) or not all(isinstance(e, str) for e in errors.values()):
        raise ValueError(f"{path}: malformed CachedFitness file, 'errors' must map keys to text")
    out["errors"] = {str(k): e for k, e in errors.items()}
    for name in ("total_queries", "evaluations"):
        n = doc.get(name, 0)
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"{path}: malformed {name!r} {n!r} (a count >= 0 expected)")
        out[name] = n
    return out


class CachedFitness(FitnessSource):
    """Evaluate each distinct architecture once.

    Every batch is split into architectures already in the cache and unseen ones; the
    unseen ones (deduplicated, in order of first appearance) go to the wrapped source in a
    single batched call. Results are stored by key, so repeated architectures, within a
    batch or across batches, cost nothing.

    NaN results are cached like any other value: an architecture whose fitness is NaN is
    not evaluated again (a table without data for it, or a failed training, stays failed).
    Clear the entry with :meth:`forget` to retry it.

    Parameters
    ----------
    source : FitnessSource or callable
        What to evaluate; callables are wrapped with :func:`as_fitness`.
    key : callable, optional
        Maps an architecture to its cache key (default: ``str(arch)``). Pass a canonical
        form (e.g. an isomorphism-invariant string) to merge equivalent architectures.
    maximize : bool, optional
        Direction of a wrapped callable (see :func:`as_fitness`).
    name : str, optional
        Name of a wrapped callable.

    Attributes
    ----------
    total_queries : int
        Architectures passed in since the last :meth:`reset_counts` (with repeats).
    unique_queries : int
        Distinct keys queried since the last :meth:`reset_counts`, whether or not their
        value was already cached (e.g. loaded from a file).
    evaluations : int
        Architectures actually sent to the source since the last :meth:`reset_counts`.
    history : list of (str, float)
        First query of each distinct key since the last :meth:`reset_counts`, in order;
        ``len(history) == unique_queries``. Use it for "queries to optimum".
    errors : dict of str to str
        Why an evaluation failed (its value is NaN), by key, for sources that report
        it through a ``last_errors`` list (:class:`~ednag_opt.fitness.ParallelFitness`).
    """

    def __init__(
        self,
        source: FitnessSource | Callable[..., Any],
        *,
        key: Callable[[Any], str] | None = None,
        maximize: bool | None = None,
        name: str | None = None,
    ) -> None:
        self.source = as_fitness(source, maximize=maximize, name=name)
        self.key = key if key is not None else arch_key
        self.values: dict[str, float] = {}
        self.history: list[tuple[str, float]] = []
        self._seen: set[str] = set()
        self.errors: dict[str, str] = {}
        self.total_queries = 0
        self.evaluations = 0

    # -- attributes forwarded from the source -------------------------------------------
    @property
    def name(self) -> str:  # type: ignore[override]
        return self.source.name

    @property
    def maximize(self) -> bool:  # type: ignore[override]
        return self.source.maximize

    @property
    def metrics(self):  # type: ignore[override]
        return self.source.metrics

    @property
    def unique_queries(self) -> int:
        return len(self.history)

    def __len__(self) -> int:
        """Number of cached values."""
        return len(self.values)

    def __contains__(self, arch: Any) -> bool:
        return self.key(arch) in self.values

    # -- evaluation ------------------------------------------------------------------------
    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        archs = list(archs)
        keys = [self.key(a) for a in archs]
        values = self.values
        todo: dict[str, Any] = {}
        for k, a in zip(keys, archs, strict=True):
            if k not in values and k not in todo:
                todo[k] = a
        if todo:
            out = to_fitness_tensor(
                self.source(list(todo.values())), len(todo), who=f"fitness {self.name!r}"
            )
            for k, v in zip(todo, out.tolist(), strict=True):
                values[k] = v
            self.evaluations += len(todo)
            errs = getattr(self.source, "last_errors", None)  # e.g. ParallelFitness
            if isinstance(errs, list) and len(errs) == len(todo):
                self.errors.update((k, e) for k, e in zip(todo, errs) if e is not None)
        self.total_queries += len(keys)
        result = [values[k] for k in keys]
        seen = self._seen
        for k, v in zip(keys, result, strict=True):
            if k not in seen:
                seen.add(k)
                self.history.append((k, v))
        return torch.tensor(result, dtype=torch.float64)

    def query(self, archs: Sequence[Any], metric: str | None = None) -> torch.Tensor:
        """The fitness (cached, counted) if ``metric`` is None, else the source's metric
        lookup, which is neither cached nor counted."""
        if metric is None:
            return self(archs)
        return self.source.query(archs, metric)

    def lookup(self, archs: Sequence[Any]) -> torch.Tensor:
        """Cached values without evaluating or counting; NaN where not cached."""
        return torch.tensor(
            [self.values.get(self.key(a), math.nan) for a in archs], dtype=torch.float64
        )

    # -- bookkeeping -----------------------------------------------------------------------
    def reset_counts(self) -> None:
        """Zero the counters and the history; keep the cached values."""
        self.total_queries = 0
        self.evaluations = 0
        self.history = []
        self._seen = set()

    def clear(self) -> None:
        """Drop the cached values and reset the counters."""
        self.values = {}
        self.errors = {}
        self.reset_counts()

    def forget(self, archs: Sequence[Any]) -> None:
        """Remove these architectures from the cache (they will be evaluated again)."""
        for a in archs:
            self.values.pop(self.key(a), None)
            self.errors.pop(self.key(a), None)

    def best(self) -> tuple[str, float] | None:
        """Best (key, value) in :attr:`history`, NaN ignored; ``None`` if there is none."""
        finite = [(k, v) for k, v in self.history if not math.isnan(v)]
        if not finite:
            return None
        pick = max if self.maximize else min
        return pick(finite, key=lambda kv: kv[1])

    def queries_to_reach(self, target: float, *, tol: float = 0.0) -> int | None:
        """1-based position in :attr:`history` of the first value at least as good as
        ``target`` (within ``tol``), or ``None`` if never reached."""
        for i, (_, v) in enumerate(self.history, start=1):
            if (v >= target - tol) if self.maximize else (v <= target + tol):
                return i
        return None

    # -- persistence -----------------------------------------------------------------------
    def save(self, path: str | Path) -> Path:
        """Write cached values, counters, history and evaluation errors to a JSON file.

        Non-finite values are written as the strings ``"nan"``, ``"inf"``, ``"-inf"``.
        The write is atomic (:func:`ednag_opt._io.atomic_write`): an interrupted save
        leaves the previous file intact. Returns the path written.
        """
        path = Path(path)
        doc = {
            "format": _FORMAT,
            "version": _VERSION,
            "name": self.name,
            "maximize": self.maximize,
            "total_queries": self.total_queries,
            "evaluations": self.evaluations,
            "values": {k: _encode(v) for k, v in self.values.items()},
            "history": [[k, _encode(v)] for k, v in self.history],
            "errors": dict(self.errors),
        }
        return atomic_write(path, json.dumps(doc, indent=1))

    def load(self, path: str | Path, *, restore_counts: bool = False) -> int:
        """Merge values saved by :meth:`save` into the cache.

        Parameters
        ----------
        path : str or Path
            File written by :meth:`save`.
        restore_counts : bool
            Also restore counters and history (continue a run) instead of keeping the
            current ones.

        Returns
        -------
        int
            Number of values read.

        Raises
        ------
        ValueError
            If the file is not a cache file or is malformed (naming the file and the
            problem; nothing is loaded then), or its direction differs from this source's.
        """
        doc = _read_doc(Path(path), self.maximize)
        loaded = doc["values"]
        self.values.update(loaded)
        self.errors.update(doc["errors"])
        if restore_counts:
            self.history = doc["history"]
            self._seen = {k for k, _ in self.history}
            self.total_queries = doc["total_queries"]
            self.evaluations = doc["evaluations"]
        return len(loaded)

    def __repr__(self) -> str:
        return (
            f"CachedFitness({self.source!r}, cached={len(self.values)}, "
            f"unique_queries={self.unique_queries}, total_queries={self.total_queries})"
        )


def cached_rows(caches: Sequence[CachedFitness], archs: Sequence[Any]) -> list[list[float]]:
    """One row per architecture of each cache's value (NaN where unknown), evaluating
    nothing: what a checkpoint saves for a source made of several caches."""
    archs = list(archs)
    if not archs:
        return []
    return torch.stack([c.lookup(archs) for c in caches], dim=1).tolist()


def restore_rows(caches: Sequence[CachedFitness], rows: Any, what: str = "values") -> None:
    """Put saved rows (by architecture key, one value per cache) back into ``caches``.

    Raises:
        ValueError: a row without one value per cache (``what`` names them).
    """
    for key, row in rows.items():
        if len(row) != len(caches):
            raise ValueError(f"saved values of {key!r} have {len(row)} entries, need "
                             f"{len(caches)} ({what})")  # fmt: skip
        for c, v in zip(caches, row):
            c.values[key] = float(v)
