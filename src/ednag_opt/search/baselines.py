"""Baseline searchers that NAS users compare against: random search and regularised
evolution (REA).

* :func:`run_random`: architectures uniformly at random WITHOUT replacement (a random
  permutation of ``space.enumerate()``; rejection of repeats where the space is too large
  to enumerate).
* :func:`run_rea`: Real et al. (2019), "aging evolution": a population of ``population``
  random architectures; each cycle draws ``sample`` members uniformly without replacement,
  mutates the best of them in one row (one edge / op of the cell, changed to a different
  allowed choice), queries the child, appends it and removes the OLDEST member.

Both work on any :class:`~ednag_opt.spaces.SearchSpace` and query through the search's
:class:`~ednag_opt.search.tracker.Tracker`, like every searcher.
"""

from __future__ import annotations

import math
from collections import deque
from typing import Any

import torch

from ..spaces import SearchSpace
from .tracker import Tracker

__all__ = ["mutate_one", "run_random", "run_rea"]


def run_random(
    space: SearchSpace, tracker: Tracker, *, seed: int = 0, batch_size: int = 50
) -> dict[str, Any]:
    """Query distinct architectures drawn uniformly without replacement until stopped.

    Args:
        space: the search space.
        tracker: budget, best and history.
        seed: seed of the permutation (or of the rejection sampler).
        batch_size: architectures per fitness call (does not change what is counted).
    """
    _positive("batch_size", batch_size)
    g = torch.Generator().manual_seed(seed)
    try:
        pool: list[Any] | None = space.enumerate()
    except ValueError:
        pool = None
    if pool is not None:
        order = torch.randperm(len(pool), generator=g).tolist()
        for i in range(0, len(order), batch_size):
            if tracker.done:
                break
            tracker.query([pool[j] for j in order[i : i + batch_size]], origin="random")
        tracker.stop("exhausted")
        return {}
    taken: set[str] = set()
    misses = 0
    while not tracker.done and misses < 100:
        batch = []
        for a in space.sample(batch_size, generator=g):
            k = tracker.key(a)
            if k not in taken and len(batch) < tracker.remaining:
                taken.add(k)
                batch.append(a)
        misses = 0 if batch else misses + 1
        if batch:
            tracker.query(batch, origin="random")
    tracker.stop("stalled")
    return {}


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


def run_rea(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    population: int = 20,
    sample: int = 5,
    max_cycles: int | None = None,
) -> dict[str, Any]:
    """Regularised (aging) evolution until the tracker stops it.

    Args:
        space: the search space.
        tracker: budget, best and history (its direction is respected).
        seed: seed of the initial population, the tournaments and the mutations.
        population: population size P (initial random architectures, then a FIFO queue).
        sample: tournament size S (<= P).
        max_cycles: cap on evolution cycles (default ``50 * max_queries``, or 100,000
            without a budget): a child already queried costs no query, so a converged
            population could otherwise loop for ever.
    """
    _positive("population", population)
    _positive("sample", sample)
    if sample > population:
        raise ValueError(f"sample ({sample}) must not exceed population ({population})")
    g = torch.Generator().manual_seed(seed)
    init = space.sample(population, generator=g)
    values = tracker.query(init, origin="random").tolist()
    pop: deque[tuple[Any, float]] = deque(zip(init, values))
    budget = tracker.max_queries
    cap = max_cycles if max_cycles is not None else (50 * budget if budget else 100_000)
    cycles = 0
    while not tracker.done and cycles < cap:
        cycles += 1
        idx = torch.randperm(len(pop), generator=g)[:sample].tolist()
        scores = [_score(pop[i][1], tracker.maximize) for i in idx]
        parent = pop[idx[scores.index(max(scores))]][0]  # first of the best; non-finite last
        child = mutate_one(space, parent, g)
        value = float(tracker.query([child], origin="mutation")[0])
        pop.append((child, value))
        pop.popleft()
    tracker.stop("stalled")
    return {"cycles": cycles}


def _score(v: float, maximize: bool) -> float:
    """Higher is better; NaN and +-inf rank below every finite value."""
    if not math.isfinite(v):
        return -math.inf
    return v if maximize else -v


def _positive(name: str, v: Any) -> None:
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
