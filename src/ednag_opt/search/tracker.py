"""The one place that counts queries, keeps the best, and decides when a search stops.

Every searcher sends its batches through :meth:`Tracker.query`. The tracker

- counts *unique* queries by the canonical key (:func:`~ednag_opt.fitness.base.arch_key`)
  and never lets a search exceed ``max_queries``: a batch that would overshoot is cut, its
  surplus new architectures are not evaluated and get NaN, and the search stops;
- keeps the best value with one rule for every searcher (only finite values can be best);
- stops on the budget, on ``target``, when the whole space has been queried, or when
  asked to (:meth:`stop`);
- writes one history row per batch, in one format, and hands it to the observers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import torch

from ..fitness.cache import CachedFitness
from .result import SearchResult, is_better

__all__ = ["Tracker"]


class Tracker:
    """Budget, best-so-far, target and history of one search.

    Args:
        space: the search space (used to know when it is exhausted).
        cache: the cached fitness every query goes through.
        maximize: direction of the fitness.
        max_queries: budget of unique queries (``None``: unlimited).
        target: stop once a value at least this good has been queried.
        observers: callables receiving each history row.
        replay: ``(key, value)`` queries of an interrupted run of the same search (see
            ``search.checkpoint``): the first queries must repeat them in order, and are
            answered from them without calling the fitness.
        canonical: maps an architecture to its canonical form (e.g. the space's
            ``canonicalize``: the same network with its signal-free parts removed;
            ``search``'s ``distinct="networks"``). Given, every architecture is queried
            as its canonical form (what :attr:`queries` and the result hold), and
            :meth:`key` and :meth:`seen` see through encodings: a searcher's other
            encodings of a network it has evaluated count as seen and cost nothing.
    """

    def __init__(
        self,
        space: Any,
        cache: CachedFitness,
        *,
        maximize: bool,
        max_queries: int | None = None,
        target: float | None = None,
        observers: Sequence[Callable[[dict[str, Any]], None]] = (),
        replay: Sequence[tuple[str, float]] = (),
        canonical: Callable[[Any], Any] | None = None,
    ) -> None:
        self.space, self.cache, self.maximize = space, cache, bool(maximize)
        self.max_queries, self.target = max_queries, target
        self.observers = list(observers)
        self.queries: list[tuple[Any, float]] = []
        self.history: list[dict[str, Any]] = []
        self.origins: dict[str, int] = {}
        self.total_queries = 0
        self.best_arch: Any = None
        self.best_fitness: float | None = None
        self.stop_reason: str | None = None
        self._seen: set[str] = set()
        self._canonical = canonical
        self._size = _space_size(space)
        self._replay = list(replay)
        self._held = 0
        self._t0 = time.perf_counter()

    # ------------------------------------------------------------------ state
    @property
    def unique_queries(self) -> int:
        return len(self.queries)

    @property
    def canonical(self) -> Callable[[Any], Any] | None:
        """The canonical map queries go through (``distinct="networks"``), or None."""
        return self._canonical

    @property
    def remaining(self) -> float:
        """Unique queries left in the budget (``inf`` without a budget)."""
        if self.max_queries is None:
            return math.inf
        return self.max_queries - self._held - self.unique_queries

    @contextmanager
    def holding_back(self, n: int) -> Iterator[None]:
        """Within the block, the last ``n`` queries of the budget are held back: the search
        stops (reason ``"budget"``) once the rest is spent. On leaving, they are released
        and a stop for the budget is lifted while queries remain (a searcher spends the
        held-back share in a phase of its own)."""
        if self.max_queries is None or n < 0:
            raise ValueError(f"holding back {n} queries needs a budget and n >= 0")
        self._held = min(int(n), self.max_queries)
        try:
            yield
        finally:
            self._held = 0
            if self.stop_reason == "budget" and self.remaining > 0:
                self.stop_reason = None

    @contextmanager
    def networks_only(self, canonical: Callable[[Any], Any]) -> Iterator[None]:
        """Within the block, queries go through ``canonical`` as with ``distinct="networks"``
        (one query per network, as its canonical form); on leaving, every architecture is
        its own query again, and the canonical forms queried stay queried."""
        if self._canonical is not None:
            raise ValueError("the tracker already queries one architecture per network")
        self._canonical = canonical
        try:
            yield
        finally:
            self._canonical = None

    @property
    def done(self) -> bool:
        """True once the search must stop (``stop_reason`` says why)."""
        return self.stop_reason is not None

    def stop(self, reason: str) -> None:
        """Stop the search (the first reason given is kept)."""
        if self.stop_reason is None:
            self.stop_reason = reason

    def seen(self, arch: Any) -> bool:
        """Whether ``arch`` was already queried in this search or its value is known to
        the cache (searchers steer away from both)."""
        k = self.key(arch)
        return k in self._seen or k in self.cache.values

    def key(self, arch: Any) -> str:
        """The key searchers tell duplicates by: the cache's key of ``arch``, or of its
        canonical form when the tracker has one."""
        return self.cache.key(arch if self._canonical is None else self._canonical(arch))

    # ------------------------------------------------------------------ querying
    def query(
        self,
        archs: Sequence[Any],
        *,
        origin: Sequence[str] | str | None = None,
        info: dict[str, Any] | None = None,
    ) -> torch.Tensor:
        """Evaluate a batch within the budget; return one value per architecture.

        Architectures already queried cost nothing. New ones are admitted in batch order
        while the budget lasts; those past it are not evaluated and get NaN (the search
        then stops). ``origin`` labels where each architecture came from (e.g.
        ``"diffusion"``); new queries are counted per label in :attr:`origins`.
        """
        archs = list(archs) if self._canonical is None else [self._canonical(a) for a in archs]
        if not archs:
            return torch.empty(0, dtype=torch.float64)
        labels = [origin] * len(archs) if origin is None or isinstance(origin, str) else origin
        keys = [self.cache.key(a) for a in archs]
        admitted, new_keys = [], {}
        budget = self.remaining
        for i, k in enumerate(keys):
            if k in self._seen or k in new_keys:
                admitted.append(i)
            elif len(new_keys) < budget:
                new_keys[k] = i
                admitted.append(i)
        self._replayed(list(new_keys))
        values = torch.full((len(archs),), math.nan, dtype=torch.float64)
        if admitted:
            values[admitted] = self.cache([archs[i] for i in admitted])
        self.total_queries += len(admitted)
        vals = values.tolist()
        batch_best = None
        for i in admitted:
            k, v = keys[i], vals[i]
            if is_better(v, batch_best, self.maximize):
                batch_best = v
            if k in self._seen:
                continue
            self._seen.add(k)
            self.queries.append((archs[i], v))
            if labels[i] is not None:
                self.origins[labels[i]] = self.origins.get(labels[i], 0) + 1
            if is_better(v, self.best_fitness, self.maximize):
                self.best_arch, self.best_fitness = archs[i], v
        self._check_stop(len(admitted) < len(archs))
        self._record(len(archs), len(new_keys), batch_best, info)
        return values

    def _replayed(self, new_keys: list[str]) -> None:
        """Answer new queries from the replayed run (checking it repeats itself)."""
        start = len(self.queries)
        for j, k in enumerate(new_keys[: max(0, len(self._replay) - start)]):
            saved_key, value = self._replay[start + j]
            if saved_key != k:
                raise ValueError(
                    f"resumed search diverged from its checkpoint at query {start + j + 1}: "
                    "the checkpoint was written by a different search or fitness"
                )
            self.cache.values[k] = value

    def _check_stop(self, cut: bool) -> None:
        if self.best_fitness is not None and self.target is not None:
            if not is_better(self.target, self.best_fitness, self.maximize):
                self.stop("target")
        if cut or self.remaining <= 0:
            self.stop("budget")
        if self._size is not None and self.unique_queries >= self._size:
            self.stop("exhausted")

    def _record(self, n: int, new: int, batch_best: float | None, info: dict | None) -> None:
        row = {
            "step": len(self.history),
            "unique_queries": self.unique_queries,
            "total_queries": self.total_queries,
            "best_fitness": self.best_fitness,
            "batch_size": n,
            "new_queries": new,
            "batch_best": batch_best,
            "wall_time": time.perf_counter() - self._t0,
            **(info or {}),
        }
        self.history.append(row)
        for obs in self.observers:
            obs(row)

    # ------------------------------------------------------------------ result
    def result(self, metadata: dict[str, Any], extras: dict[str, Any] | None = None):
        """The :class:`SearchResult` of what was queried so far."""
        meta = {**metadata, "stop_reason": self.stop_reason, "origins": dict(self.origins)}
        return SearchResult(
            best_arch=self.best_arch,
            best_fitness=self.best_fitness,
            unique_queries=self.unique_queries,
            total_queries=self.total_queries,
            wall_time=time.perf_counter() - self._t0,
            history=list(self.history),
            queries=list(self.queries),
            maximize=self.maximize,
            metadata=meta,
            space=self.space,
            cache=self.cache,
            extras=dict(extras or {}),
        )


def _space_size(space: Any) -> int | None:
    try:
        n = space.num_architectures
    except (AttributeError, NotImplementedError, TypeError, ValueError):
        return None
    return int(n) if isinstance(n, int) else None
