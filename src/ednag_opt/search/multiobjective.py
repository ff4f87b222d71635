"""Multi-objective search: several fitness sources, one Pareto front.

```
search("ednag", space, [accuracy, latency], max_queries=300)   # -> "ednag-mo"
    MultiFitness: one cache per objective, a scalar for the tracker (the first objective,
                  NaN where a limit is violated), the (N, M) vectors for the strategy
    EvolutionaryDDIM(objectives=M): x0 density and survivors from Pareto rank + crowding
    proposals: the best new of 16 diffusion draws and 16 repair moves per particle under
               one ridge model per objective (search.guided_mo; preset="unguided": none)
    repeated samples: a tournament parent (after a restart: crossed with the sample), mutated
result.pareto_front()   # non-dominated (arch, values) over everything queried
```

Every objective keeps its own direction (a source's ``maximize``); ``limits`` turn an
objective into a constraint as well (``value <= limit`` for a minimised one, ``>=`` for a
maximised one): infeasible architectures rank below every feasible one, and only feasible
ones enter the front. A unique query is one architecture, whatever the number of objectives.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..fitness.base import FitnessSource, as_fitness
from ..fitness.cache import CachedFitness, cached_rows, restore_rows
from ..spaces import SearchSpace
from ..strategy.pareto import pareto_mask
from .ednag_mo import run_ednag_mo

__all__ = [
    "MultiFitness",
    "attach_objectives",
    "is_multi",
    "objectives_from_names",
    "pareto_front",
    "plot_front",
    "run_ednag_mo",
]


class MultiFitness(FitnessSource):
    """Several fitness sources evaluated together, each through its own cache.

    Calling it returns the first objective (NaN where a limit is violated), so searchers
    and the tracker see one value per architecture; :meth:`values` gives all of them.

    Args:
        sources: two or more fitness sources (or callables, with ``maximize=``).
        maximize: one direction per source, for sources that do not declare one.
        limits: per objective, ``None`` or a bound the value must respect (a sequence in
            source order, or a mapping from source name or index to bound).
        name: defaults to the sources' names joined by ``" x "``.

    Raises:
        ValueError: fewer than two sources, a direction conflict, or an unknown limit name.
        TypeError: a source that is not callable.
    """

    def __init__(
        self,
        sources: Sequence[Any],
        *,
        maximize: Sequence[bool] | bool | None = None,
        limits: Sequence[float | None] | Mapping[str | int, float] | None = None,
        name: str | None = None,
    ) -> None:
        sources = list(sources)
        if len(sources) < 2:
            raise ValueError(f"a multi-objective search needs >= 2 fitness sources, "
                             f"got {len(sources)}")  # fmt: skip
        dirs = _directions(sources, maximize)
        self.caches = [
            s if isinstance(s, CachedFitness) else CachedFitness(as_fitness(s, maximize=d))
            for s, d in zip(sources, dirs)
        ]
        self.names = tuple(c.name for c in self.caches)
        self.directions = tuple(c.maximize for c in self.caches)
        self.limits = _limits(limits, self.names)
        self.maximize = self.directions[0]
        self.name = name or " x ".join(self.names)

    @property
    def num_objectives(self) -> int:
        return len(self.caches)

    def values(self, archs: Sequence[Any]) -> torch.Tensor:
        """Raw objective values, (N, M) float64 (each objective from its cache)."""
        archs = list(archs)
        if not archs:
            return torch.empty(0, self.num_objectives, dtype=torch.float64)
        return torch.stack([c(archs) for c in self.caches], dim=1)

    def saved_values(self, archs: Sequence[Any]) -> list[list[float]]:
        """Cached objective values of ``archs`` (NaN where unknown), evaluating nothing."""
        return cached_rows(self.caches, archs)

    def restore_values(self, rows: Mapping[str, Sequence[float]]) -> None:
        """Put saved objective values back into the caches (a checkpoint's replay).

        Args:
            rows: one row of ``num_objectives`` values per architecture key.

        Raises:
            ValueError: a row with another number of values.
        """
        restore_rows(self.caches, rows, f"the search's {self.num_objectives} objectives")

    def scores(self, values: torch.Tensor) -> torch.Tensor:
        """``values`` oriented so that higher is better in every column."""
        sign = torch.tensor([1.0 if d else -1.0 for d in self.directions], dtype=torch.float64)
        return values * sign

    def violation(self, values: torch.Tensor) -> torch.Tensor | None:
        """Summed relative excess over the limits, (N,), 0 when feasible; None without limits.

        A non-finite value of a limited objective counts as a violation of 1.
        """
        if all(b is None for b in self.limits):
            return None
        cv = torch.zeros(values.shape[0], dtype=torch.float64)
        for j, (b, up) in enumerate(zip(self.limits, self.directions)):
            if b is None:
                continue
            excess = (b - values[:, j]) if up else (values[:, j] - b)
            excess = excess.clamp_min(0.0) / max(abs(b), 1e-12)
            cv += torch.where(torch.isfinite(excess), excess, torch.ones_like(excess))
        return cv

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        v = self.values(archs)
        first = v[:, 0].clone()
        cv = self.violation(v)
        if cv is not None:
            first[cv > 0] = math.nan
        return first

    def describe(self) -> list[dict[str, Any]]:
        """One ``{"name", "maximize", "limit"}`` per objective (saved in the metadata)."""
        return [{"name": n, "maximize": d, "limit": b}
                for n, d, b in zip(self.names, self.directions, self.limits)]  # fmt: skip


def _directions(sources: list[Any], maximize: Any) -> list[bool | None]:
    if maximize is None or isinstance(maximize, bool | np.bool_):
        return [None if maximize is None else bool(maximize)] * len(sources)
    dirs = list(maximize)
    if len(dirs) != len(sources):
        raise ValueError(f"maximize has {len(dirs)} directions for {len(sources)} objectives")
    for s, d in zip(sources, dirs):
        if not isinstance(s, FitnessSource) and not hasattr(s, "maximize") and d is None:
            raise ValueError(f"objective {s!r} has no direction: give maximize=[...]")
    return [None if d is None else bool(d) for d in dirs]


def _limits(limits: Any, names: tuple[str, ...]) -> tuple[float | None, ...]:
    out: list[float | None] = [None] * len(names)
    if limits is None:
        return tuple(out)
    items = limits.items() if isinstance(limits, Mapping) else enumerate(limits)
    for k, b in items:
        j = names.index(k) if k in names else k
        if not isinstance(j, int) or not 0 <= j < len(names):
            raise ValueError(f"limit for unknown objective {k!r}; objectives: {list(names)}")
        if b is not None and not (isinstance(b, int | float) and math.isfinite(b)):
            raise ValueError(f"limit of {names[j]!r} must be a finite number, got {b!r}")
        out[j] = None if b is None else float(b)
    if not isinstance(limits, Mapping) and len(list(limits)) != len(names):
        raise ValueError(f"limits has {len(list(limits))} entries for {len(names)} objectives")
    return tuple(out)


def objectives_from_names(
    space: str | SearchSpace, dataset: str | None, names: Sequence[str]
) -> list[FitnessSource]:
    """Fitness sources for objective names, as the command line spells them.

    NAS-Bench-201: ``val``/``test`` accuracy and every HW-NAS-Bench column
    (``edgegpu_latency``, ``edgegpu_energy``, ``raspi4_latency``, ...; see
    :data:`~ednag_opt.fitness.HW_METRICS`). MobileNetV3: ``acc`` (OFA accuracy predictor)
    and ``note10_latency``.

    Raises:
        ValueError: an unknown space or objective name, or fewer than two names.
    """
    names = [n.strip() for n in names if n.strip()]
    if len(names) < 2:
        raise ValueError(f"give at least two objectives, got {names}")
    sname = space if isinstance(space, str) else space.name
    if sname in ("nas-bench-201", "nb201"):
        from ..fitness import NB201Fitness

        return [NB201Fitness(dataset or "cifar10", metric=n) for n in names]
    if sname == "mobilenetv3":
        from ..fitness.predictors import OFAAccuracyPredictor, OFALatency

        makers = {"acc": OFAAccuracyPredictor, "note10_latency": OFALatency}
        unknown = [n for n in names if n not in makers]
        if unknown:
            raise ValueError(f"unknown MobileNetV3 objective(s) {unknown}; known: {sorted(makers)}")
        return [makers[n]() for n in names]
    raise ValueError(f"no named objectives for space {sname!r} (nas-bench-201, mobilenetv3)")


def pareto_front(
    queries: Sequence[tuple[Any, float]],
    values: Any,
    maximize: Sequence[bool],
    limits: Sequence[float | None] | None = None,
) -> list[tuple[Any, tuple[float, ...]]]:
    """The non-dominated ``(arch, values)`` among ``queries``, sorted by the first objective.

    Args:
        queries: ``(arch, scalar)`` in query order (a :class:`SearchResult`'s ``queries``).
        values: (len(queries), M) objective values, in the same order.
        maximize: direction of each objective.
        limits: optional bound per objective; violating rows are left out.
    """
    V = np.asarray(values, dtype=np.float64).reshape(len(queries), len(maximize))
    sign = np.where(np.asarray(maximize, dtype=bool), 1.0, -1.0)
    S = V * sign
    for j, b in enumerate(limits or []):
        if b is not None:
            S[(V[:, j] > b) if not maximize[j] else (V[:, j] < b)] = np.nan
    mask = pareto_mask(S)
    idx = np.flatnonzero(mask)
    idx = idx[np.argsort(-S[idx, 0], kind="stable")]
    return [(queries[i][0], tuple(float(x) for x in V[i])) for i in idx]


def plot_front(result: Any, path: str | Path, *, title: str | None = None) -> Path:
    """Scatter every query of a two-objective result and draw its Pareto front (a PNG).

    Raises:
        ValueError: the result does not have exactly two objectives.
        ImportError: matplotlib is missing (``pip install ednag-opt[bench]``).
    """
    objs = result.metadata.get("objectives", [])
    if result.objectives is None or len(objs) != 2:
        raise ValueError("plot_front() needs the result of a search with two objectives")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    V = np.asarray(result.objectives, dtype=np.float64)
    F = np.array([v for _, v in result.pareto_front()]).reshape(-1, 2)
    fig, ax = plt.subplots(figsize=(5, 4))
    ax.scatter(V[:, 1], V[:, 0], s=6, c="0.7", label=f"{len(V)} queries")
    order = np.argsort(F[:, 1])
    ax.step(F[order, 1], F[order, 0], where="post", c="C3", marker="o", ms=3,
            label=f"front ({len(F)})")  # fmt: skip
    ax.set_xlabel(objs[1]["name"])
    ax.set_ylabel(objs[0]["name"])
    ax.set_title(title or result.metadata.get("searcher", ""))
    ax.legend()
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def is_multi(fitness: Any) -> bool:
    """Whether ``fitness`` is several objectives (a list of sources or a MultiFitness)."""
    return isinstance(fitness, list | tuple | MultiFitness) or isinstance(
        getattr(fitness, "source", None), MultiFitness
    )


def attach_objectives(result: Any) -> Any:
    """Store the objective values of every query on a result of a multi-objective search."""
    multi = getattr(result.cache, "source", None)
    if isinstance(multi, MultiFitness):
        result.objectives = multi.values([a for a, _ in result.queries]).tolist()
        result.metadata["objectives"] = multi.describe()
    return result
