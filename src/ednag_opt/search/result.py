"""`SearchResult`: what every searcher returns, with a JSON round trip.

The result is self-describing: the searcher, its options, the seed, the budget, the
package version and every query in order are stored, and architectures are written in
their benchmark's string format, so a saved result can be read back (and compared) without
the code that produced it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._io import atomic_write
from ..fitness.base import arch_key

__all__ = ["SearchResult", "is_better"]

_FORMAT = "ednag_opt.SearchResult"
_VERSION = 1


def is_better(value: float, best: float | None, maximize: bool) -> bool:
    """True when ``value`` beats ``best``. Only finite values can ever be best: NaN, +inf
    and -inf never are (a failed evaluation, an overflow or a table hole is no optimum)."""
    if not math.isfinite(value):
        return False
    return best is None or (value > best if maximize else value < best)


def _num(v: float) -> float | str:
    return v if math.isfinite(v) else str(v)  # "nan", "inf", "-inf" in JSON


@dataclass
class SearchResult:
    """Outcome of :func:`ednag_opt.search` (every searcher returns this type).

    Attributes:
        best_arch, best_fitness: best finite-valued architecture queried and its value
            (``None`` when no query returned a finite value).
        unique_queries, total_queries: distinct architectures queried, and all queries
            with repeats (repeats are answered by the cache).
        wall_time: seconds spent in the search.
        history: one row per evaluated batch, the same keys for every searcher
            (``step``, ``unique_queries``, ``total_queries``, ``best_fitness``,
            ``batch_size``, ``batch_best``, ``wall_time``) plus searcher-specific extras.
        queries: every distinct architecture queried and its value, in query order.
        maximize: direction of the fitness.
        metadata: ``searcher``, ``options``, ``seed``, ``max_queries``, ``target``,
            ``space``, ``fitness``, ``version``, ``stop_reason`` and the like.
        space: the search space object (not saved; its name is in ``metadata``).
        cache: the :class:`~ednag_opt.fitness.CachedFitness` used (not saved).
        extras: searcher-specific objects (e.g. the final population); not saved.
        objectives: multi-objective searches: every query's value of each objective, in
            query order (``metadata["objectives"]`` names them); see :meth:`pareto_front`.
    """

    best_arch: Any
    best_fitness: float | None
    unique_queries: int
    total_queries: int
    wall_time: float
    history: list[dict[str, Any]] = field(default_factory=list)
    queries: list[tuple[Any, float]] = field(default_factory=list)
    maximize: bool = True
    metadata: dict[str, Any] = field(default_factory=dict)
    space: Any = field(default=None, repr=False)
    cache: Any = field(default=None, repr=False)
    extras: dict[str, Any] = field(default_factory=dict, repr=False)
    objectives: list[list[float]] | None = field(default=None, repr=False)

    # ------------------------------------------------------------------ views
    def top_k(self, k: int = 5) -> list[tuple[Any, float]]:
        """The ``k`` best distinct architectures over everything queried, best first.

        Only finite values are ranked; ties keep query order. ``top_k(1)[0]`` is
        ``(best_arch, best_fitness)``.
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive integer, got {k!r}")
        finite = [(i, a, v) for i, (a, v) in enumerate(self.queries) if math.isfinite(v)]
        sign = -1.0 if self.maximize else 1.0
        finite.sort(key=lambda t: (sign * t[2], t[0]))
        out, seen = [], set()
        for _, a, v in finite:
            key = arch_key(a)
            if key not in seen:
                seen.add(key)
                out.append((a, v))
            if len(out) == k:
                break
        return out

    def queries_to_reach(self, target: float, *, tol: float = 0.0) -> int | None:
        """1-based position of the first query at least as good as ``target`` (within
        ``tol``), or ``None`` if never reached."""
        for i, (_, v) in enumerate(self.queries, start=1):
            if math.isfinite(v) and ((v >= target - tol) if self.maximize else (v <= target + tol)):
                return i
        return None

    def best_within(self, budget: int) -> float | None:
        """Best finite value among the first ``budget`` queries (judging at a budget)."""
        best = None
        for _, v in self.queries[:budget]:
            if is_better(v, best, self.maximize):
                best = v
        return best

    def recommend(self, budget: int | None = None, *, rule: str = "model", space: Any = None,
                  top: float = 0.5) -> Any:  # fmt: skip
        """The architecture to deploy among the first ``budget`` queries (all: ``None``).

        ``rule="best"`` is the best observed value (``best_arch`` when ``budget`` is
        ``None``). ``rule="model"`` is for noisy evaluations: the queried architecture with
        the best posterior mean of a Gaussian-process model fitted, by empirical Bayes, on
        the observed values only, which discounts a lucky single draw (the winner's curse);
        see :mod:`ednag_opt.search.recommend`. It never changes the search itself. On
        noiseless evaluations keep ``"best"``: the model may prefer a cell in a smoother
        neighbourhood to the best one.

        Args:
            budget: judge the first ``budget`` queries (a positive integer) or all.
            rule: ``"model"`` or ``"best"``.
            space: the space to encode architectures with (default: ``self.space``, or
                the recorded space name of a loaded result).
            top: share of the observations (the best ones) the model is fitted on.

        Returns:
            A :class:`~ednag_opt.search.recommend.Recommendation` (``arch``, ``value``,
            ``estimate``, ``query``, ``rule``, ``noise_sd``), or ``None`` when no query
            returned a finite value.

        Raises:
            ValueError: a bad ``budget`` or ``rule``, or no space for ``"model"``.
        """
        from .recommend import recommend

        if budget is not None and (isinstance(budget, bool) or not isinstance(budget, int)
                                   or budget < 1):  # fmt: skip
            raise ValueError(f"budget must be a positive integer or None, got {budget!r}")
        if space is None:
            space = self.space
        if space is None and isinstance(self.metadata.get("space"), str):
            from ..spaces import get_space

            space = get_space(self.metadata["space"])
        n = len(self.queries) if budget is None else budget
        return recommend(self.queries[:n], space, maximize=self.maximize, rule=rule, top=top)

    def pareto_front(self, budget: int | None = None) -> list[tuple[Any, tuple[float, ...]]]:
        """Non-dominated ``(arch, objective values)`` over everything queried (or the first
        ``budget`` queries), best first by the first objective; only architectures within
        the objectives' limits count.

        Raises:
            ValueError: the search had one objective (give ``search`` a list of sources).
        """
        if self.objectives is None:
            raise ValueError("pareto_front() needs a multi-objective search: pass a list of "
                             "fitness sources to search()")  # fmt: skip
        from .multiobjective import pareto_front

        objs = self.metadata.get("objectives", [])
        n = len(self.queries) if budget is None else budget
        return pareto_front(self.queries[:n], self.objectives[:n], [o["maximize"] for o in objs],
                            [o.get("limit") for o in objs])  # fmt: skip

    def _objectives_doc(self) -> dict[str, Any]:
        if self.objectives is None:
            return {}
        names = [o["name"] for o in self.metadata.get("objectives", [])]
        front = [{"arch": str(a), "values": dict(zip(names, map(_num, v)))}
                 for a, v in self.pareto_front()]  # fmt: skip
        return {"objectives": [[_num(x) for x in row] for row in self.objectives],
                "pareto_front": front}  # fmt: skip

    # ------------------------------------------------------------------ persistence
    def to_dict(self, k: int = 5) -> dict[str, Any]:
        """JSON-ready description: summary, the top ``k``, metadata, history, queries."""
        return {
            "format": _FORMAT,
            "version": _VERSION,
            "best_arch": None if self.best_arch is None else str(self.best_arch),
            "best_fitness": None if self.best_fitness is None else _num(self.best_fitness),
            "top_k": [{"arch": str(a), "fitness": _num(v)} for a, v in self.top_k(k)],
            "unique_queries": self.unique_queries,
            "total_queries": self.total_queries,
            "wall_time": self.wall_time,
            "maximize": self.maximize,
            "metadata": _jsonable(self.metadata),
            "history": _jsonable(self.history),
            "queries": [[str(a), _num(v)] for a, v in self.queries],
            **self._objectives_doc(),
        }

    def save(self, path: str | Path, k: int = 5) -> Path:
        """Write :meth:`to_dict` as JSON, atomically (a crash never leaves half a file)."""
        return atomic_write(path, json.dumps(self.to_dict(k), indent=1))

    @classmethod
    def load(cls, path: str | Path, space: Any = None) -> SearchResult:
        """Read a result written by :meth:`save`.

        Args:
            path: the JSON file.
            space: a space object or name to parse architectures with; by default the
                recorded space is tried, and architectures stay strings if it is unknown.
        """
        path = Path(path)
        try:
            doc = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"cannot read a SearchResult from {path}: {exc}") from None
        if not isinstance(doc, dict) or doc.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a SearchResult file (format {_FORMAT!r})")
        parse = _parser(space if space is not None else doc.get("metadata", {}).get("space"))
        try:
            queries = [(parse(a), float(v)) for a, v in doc["queries"]]
            best = doc["best_fitness"]
            return cls(
                best_arch=None if doc["best_arch"] is None else parse(doc["best_arch"]),
                best_fitness=None if best is None else float(best),
                unique_queries=int(doc["unique_queries"]),
                total_queries=int(doc["total_queries"]),
                wall_time=float(doc["wall_time"]),
                history=list(doc.get("history", [])),
                queries=queries,
                maximize=bool(doc["maximize"]),
                metadata=dict(doc.get("metadata", {})),
                objectives=None if doc.get("objectives") is None else
                [[float(x) for x in row] for row in doc["objectives"]],
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path}: malformed SearchResult ({exc!r})") from None


def _parser(space: Any):
    """``space.from_str`` when the space is known, else keep strings."""
    if space is None:
        return str
    if isinstance(space, str):
        from ..spaces import get_space

        try:
            space = get_space(space)
        except ValueError:
            return str
    return getattr(space, "from_str", str)


def _jsonable(obj: Any) -> Any:
    """Floats made JSON-safe, tuples to lists, unknown objects to strings."""
    if isinstance(obj, dict):
        return {str(k): _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return _num(obj)
    if obj is None or isinstance(obj, bool | int | str):
        return obj
    if isinstance(obj, Sequence):
        return [_jsonable(v) for v in obj]
    return str(obj)
