"""Baseline NAS searchers for the benchmarks: random search and regularised evolution (REA).

Both work on any :class:`~ednag_opt.spaces.SearchSpace` object and query through a
:class:`~ednag_opt.fitness.CachedFitness`, exactly like :func:`ednag_opt.generate`, so
``cache.unique_queries`` / ``cache.history`` count queries the same way for every method.

* :func:`random_search`: architectures uniformly at random WITHOUT replacement (a random
  permutation of ``space.enumerate()``; rejection of repeats where the space is too large to
  enumerate).
* :func:`regularized_evolution`: Real et al. (2019), "aging evolution": a population of
  ``population`` random architectures; each cycle draws ``sample`` members uniformly without
  replacement, mutates the best of them in one row (one edge / op of the cell, changed to a
  different allowed choice), queries the child, appends it and removes the OLDEST member.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch

from ednag_opt.fitness import CachedFitness
from ednag_opt.spaces import SearchSpace

__all__ = ["BaselineResult", "mutate_one", "random_search", "regularized_evolution"]


@dataclass
class BaselineResult:
    """Outcome of a baseline run (fields named like :class:`ednag_opt.GenerationResult`)."""

    best_arch: Any
    best_fitness: float
    unique_queries: int
    total_queries: int
    wall_time: float
    cache: CachedFitness


def _better(a: float, b: float | None, maximize: bool) -> bool:
    if a != a:  # NaN never wins
        return False
    return b is None or (a > b if maximize else a < b)


def _result(cache: CachedFitness, t0: float) -> BaselineResult:
    best = cache.best()
    arch, value = (None, float("nan")) if best is None else best
    return BaselineResult(
        best_arch=arch,
        best_fitness=value,
        unique_queries=cache.unique_queries,
        total_queries=cache.total_queries,
        wall_time=time.perf_counter() - t0,
        cache=cache,
    )


def random_search(
    space: SearchSpace,
    fitness: CachedFitness,
    *,
    max_queries: int,
    seed: int = 0,
    batch_size: int = 50,
) -> BaselineResult:
    """Query ``max_queries`` distinct architectures drawn uniformly without replacement.

    Args:
        space: search space object.
        fitness: cached fitness (its counters are not reset).
        max_queries: number of distinct architectures to query (capped by the space size).
        seed: seed of the permutation.
        batch_size: architectures per fitness call (does not change what is counted).
    """
    t0 = time.perf_counter()
    g = torch.Generator().manual_seed(seed)
    try:
        pool: Sequence[Any] | None = space.enumerate()
    except ValueError:
        pool = None
    if pool is not None:
        order = torch.randperm(len(pool), generator=g)[:max_queries].tolist()
        picks = [pool[i] for i in order]
        for i in range(0, len(picks), batch_size):
            fitness(picks[i : i + batch_size])
        return _result(fitness, t0)
    seen: set[str] = set()
    while len(seen) < max_queries:
        batch = []
        for a in space.sample(batch_size, generator=g):
            k = str(a)
            if k not in seen and len(seen) < max_queries:
                seen.add(k)
                batch.append(a)
        if batch:
            fitness(batch)
    return _result(fitness, t0)


def mutate_one(space: SearchSpace, arch: Any, generator: torch.Generator, tries: int = 20) -> Any:
    """``arch`` with one row (edge / op / module) changed to a different allowed choice.

    Works through the space's one-hot encoding, so it applies to every space; in spaces
    with coupled rows (TransNAS macro) the decoder's repair keeps the child valid. A draw
    that decodes back to ``arch`` (e.g. a row the architecture ignores) is redrawn, at most
    ``tries`` times; after that ``arch`` itself is returned.
    """
    x = space.encode([arch])
    counts = torch.tensor(space.choice_counts)
    rows = (counts >= 2).nonzero().flatten()
    key = str(arch)
    for _ in range(tries):
        r = int(rows[torch.randint(rows.numel(), (1,), generator=generator)])
        cur = int(x[0, r].argmax())
        c = int(torch.randint(int(counts[r]) - 1, (1,), generator=generator))
        c = c + 1 if c >= cur else c  # uniform over the other choices
        y = x.clone()
        y[0, r] = 0.0
        y[0, r, c] = 1.0
        child = space.decode(y)[0]
        if str(child) != key:
            return child
    return arch


def regularized_evolution(
    space: SearchSpace,
    fitness: CachedFitness,
    *,
    max_queries: int,
    seed: int = 0,
    population: int = 20,
    sample: int = 5,
    max_cycles: int | None = None,
) -> BaselineResult:
    """Regularised (aging) evolution until ``max_queries`` distinct architectures are queried.

    Args:
        space: search space object.
        fitness: cached fitness; its direction (``maximize``) is respected.
        max_queries: budget of distinct queries (stops as soon as it is reached).
        seed: seed of the initial population, the tournaments and the mutations.
        population: population size P (initial random architectures, then a FIFO queue).
        sample: tournament size S.
        max_cycles: safety cap on evolution cycles (default ``50 * max_queries``): a child
            already queried costs no query, so a converged population could loop forever.
    """
    t0 = time.perf_counter()
    if sample > population:
        raise ValueError(f"sample ({sample}) must not exceed population ({population})")
    g = torch.Generator().manual_seed(seed)
    maximize = bool(fitness.maximize)
    init = space.sample(population, generator=g)
    values = fitness(init).tolist()
    pop: deque[tuple[Any, float]] = deque(zip(init, values))
    cycles, cap = 0, max_cycles if max_cycles is not None else 50 * max_queries
    while fitness.unique_queries < max_queries and cycles < cap:
        cycles += 1
        idx = torch.randperm(len(pop), generator=g)[:sample].tolist()
        parent, best = None, None
        for i in idx:
            a, v = pop[i]
            if parent is None or (best != best and v == v) or _better(v, best, maximize):
                parent, best = a, v
        child = mutate_one(space, parent, g)
        pop.append((child, float(fitness([child])[0])))
        pop.popleft()
    return _result(fitness, t0)
