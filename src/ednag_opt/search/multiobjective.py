"""Multi-objective search: several fitness sources, one Pareto front.

```
search("ednag", space, [accuracy, latency], max_queries=300)   # -> "ednag-mo"
    MultiFitness: one cache per objective, a scalar for the tracker (the first objective,
                  NaN where a limit is violated), the (N, M) vectors for the strategy
    EvolutionaryDDIM(objectives=M): x0 density and survivors from Pareto rank + crowding
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
from ..fitness.cache import CachedFitness
from ..spaces import SearchSpace
from ..strategy import EvolutionaryDDIM
from ..strategy.pareto import pareto_mask, pareto_scores, pareto_select
from .ednag import _duplicates, _make_novel, resolve_preset, restart_loop, tournament_replace
from .tracker import Tracker

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
        archs = list(archs)
        if not archs:
            return []
        return torch.stack([c.lookup(archs) for c in self.caches], dim=1).tolist()

    def restore_values(self, rows: Mapping[str, Sequence[float]]) -> None:
        """Put saved objective values back into the caches (a checkpoint's replay).

        Args:
            rows: one row of ``num_objectives`` values per architecture key.

        Raises:
            ValueError: a row with another number of values.
        """
        for key, row in rows.items():
            if len(row) != self.num_objectives:
                raise ValueError(f"saved values of {key!r} have {len(row)} objectives, "
                                 f"the search has {self.num_objectives}")  # fmt: skip
            for c, v in zip(self.caches, row):
                c.values[key] = float(v)

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


def run_ednag_mo(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    preset: str = "default",
    popsize: int | None = 20,
    num_steps: int | None = None,
    novelty: str | bool | None = None,
    novelty_tries: int = 10,
    warm_restarts: bool = True,
    recombine: bool | str = "restarts",
    device: str | torch.device | None = None,
    **strategy_options: Any,
) -> dict[str, Any]:
    """EDNAG on several objectives: the strategy ranks by Pareto dominance.

    Same loop as the ``"ednag"`` searcher (restarts until the budget is spent, novelty
    moves for repeated architectures), with ``objectives=M``: the x0 density and the
    survivors come from non-dominated rank and crowding over the (N, M) values, and the
    limits of the :class:`MultiFitness` are passed to the strategy as violations.

    Args:
        space: the search space.
        tracker: counts queries; its fitness must be a :class:`MultiFitness` (what
            ``search`` builds from a list of sources).
        seed: seeds everything.
        preset, popsize, num_steps, novelty, novelty_tries, device, **strategy_options:
            as for the ``"ednag"`` searcher (``popsize`` defaults to 20 here).
        warm_restarts: a restarted diffusion starts from the front found so far: up to
            ``popsize // 2`` of its architectures (spread by crowding; cached, so free)
            replace noise members of the first population.
        recombine: with ``novelty="parent"``, the tournament parent that replaces a
            repeated diffusion sample takes each of the sample's rows with probability
            1/2 (uniform crossover with the diffusion's proposal) before the one-row
            mutation. ``"restarts"`` (default): in the warm-restarted runs only (from
            the second run on, ~600 queries with the defaults); ``True``: in every run;
            ``False``: the parent alone (the default before #16's tuning).

    Returns:
        Extras: the final ``population`` and ``runs``.

    Raises:
        ValueError: the tracker's fitness is not a :class:`MultiFitness`.
        TypeError: ``recombine`` or ``warm_restarts`` is not one of its values.
    """
    multi = getattr(tracker.cache, "source", None)
    if not isinstance(multi, MultiFitness):
        raise ValueError("ednag-mo needs several objectives: pass a list of fitness sources")
    if not isinstance(warm_restarts, bool):
        raise TypeError(f"warm_restarts must be True or False, got {warm_restarts!r}")
    if not isinstance(recombine, bool) and recombine != "restarts":
        raise TypeError(f"recombine must be True, False or 'restarts', got {recombine!r}")
    cfg = resolve_preset(preset, novelty, popsize, num_steps, **strategy_options)
    if isinstance(novelty_tries, bool) or not isinstance(novelty_tries, int) or novelty_tries < 1:
        raise ValueError(f"novelty_tries must be an integer >= 1, got {novelty_tries!r}")
    strategy = cfg.strategy.replace(maximize=True, objectives=multi.num_objectives)
    mut_gen = torch.Generator().manual_seed(seed + 7919)
    warm: list[Any] = []

    def step(es: EvolutionaryDDIM, run: int) -> None:
        if es.generation == 0:  # a run starts: seed it with the front found so far
            warm[:] = _front_archs(tracker, multi, es.popsize // 2) if run and warm_restarts else []
        cross = recombine is True or (recombine == "restarts" and run > 0)
        moves = (cfg.novelty, novelty_tries, cross)
        _generation(space, tracker, es, multi, moves, mut_gen, run,
                    warm if es.generation == 0 else [])  # fmt: skip

    es, run = restart_loop(space, tracker, strategy, seed, device, step)
    latent = None if es is None else es.population
    return {"population": [] if latent is None else space.decode(latent), "runs": run}


def _front_archs(tracker: Tracker, multi: MultiFitness, k: int) -> list[Any]:
    """Up to ``k`` feasible non-dominated architectures queried so far, spread by crowding."""
    archs = [a for a, _ in tracker.queries]
    if not archs or k < 1:
        return []
    values = multi.values(archs)
    S = multi.scores(values)
    cv = multi.violation(values)
    if cv is not None:
        S[cv > 0] = math.nan
    idx = np.flatnonzero(pareto_mask(S.numpy()))
    if len(idx) > k:
        idx = idx[pareto_select(S[idx], k).numpy()]
    return [archs[i] for i in idx]


def _generation(space, tracker, es, multi, moves, mut_gen, run, inject=()) -> None:
    novelty, tries, recombine = moves
    x = es.ask()
    if inject:  # a warm restart: the front so far replaces the first noise members
        x = x.clone()
        x[: len(inject)] = space.encode(inject).to(device=x.device, dtype=x.dtype)
    archs = space.decode(x)
    changed: set[int] = set()
    if novelty and es.generation > 0:
        if novelty == "parent":
            sample = x
            x, archs, changed = _from_parents(space, x, archs, es, tracker, mut_gen)
            if recombine and changed:  # the parent takes half the sample's rows
                x, archs = _cross(space, x, sample, sorted(changed), mut_gen)
        x, archs, more = _make_novel(space, x, archs, tracker, space.mask, mut_gen, tries)
        changed |= more
    origin = ["repair" if i in changed else "diffusion" for i in range(len(archs))]
    keys = [tracker.key(a) for a in archs]
    info = {"run": run, "generation": es.generation + 1, "distinct": len(set(keys)) / len(keys)}
    f = tracker.query(archs, origin=origin, info=info)
    if tracker.stop_reason == "budget" and bool(torch.isnan(f).any()):
        return  # the budget cut this batch: its tail was never evaluated
    values = multi.values(archs)
    es.tell(multi.scores(values), keys=keys, violation=multi.violation(values),
            solutions=x if novelty or inject else None)  # fmt: skip


def _cross(space, x, sample, at, generator):
    """Uniform crossover by row: each row of ``x[i]`` (``i`` in ``at``) is replaced by the
    same row of ``sample[i]`` with probability 1/2; returns latents and architectures."""
    x = x.clone()
    idx = torch.tensor(at, device=x.device)
    take = (torch.rand((len(at), x.shape[1]), generator=generator) < 0.5).to(x.device)
    rows = x[idx]
    rows[take] = sample[idx][take].to(x.dtype)
    x[idx] = rows
    return x, space.decode(x)


def _from_parents(space, x, archs, es, tracker, generator, size=5):
    """Replace repeated offspring by parents won in a Pareto tournament (mutated next)."""
    dup = _duplicates(archs, tracker)
    if not dup:
        return x, archs, set()
    score = pareto_scores(es.state.fitness).cpu()
    cv = es.state.violation
    if cv is not None:  # feasible parents first, then the least violating
        score = torch.where(cv.cpu() > 0, -1e6 * (1.0 + cv.cpu()), score)
    return tournament_replace(space, x, archs, dup, es.state.latent, score, generator, size)
