"""Local search over one-row neighbourhoods, with random restarts (White et al. 2021).

White, Nolen, Savani, Roberts & Raskutti, "Exploring the loss landscape in neural
architecture search" (UAI 2021) found this simple method state of the art on tabular NAS
benchmarks. From a random architecture, the neighbours (every architecture that differs
in one row of the space's encoding: one edge / op / module, 24 of them in NAS-Bench-201)
are queried in random order; with ``improvement="first"`` the search moves to the first
neighbour that is strictly better, with ``"best"`` to the best of the whole neighbourhood.
At a local optimum (no better neighbour) it restarts from a random architecture not queried
before. Neighbours already queried cost nothing (the tracker's cache answers them).

Works on every :class:`~ednag_opt.spaces.SearchSpace`: neighbours are built in the one-hot
encoding and decoded, so spaces with coupled rows (TransNAS macro, NAS-Bench-101) repair
them to valid architectures and repeats are dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import torch

from ..spaces import SearchSpace
from .tracker import Tracker

__all__ = ["neighbours", "run_local"]

IMPROVEMENT = ("first", "best")


def neighbours(space: SearchSpace, arch: Any, key: Callable[[Any], str] = str) -> list[Any]:
    """Every distinct architecture that differs from ``arch`` in one row of the encoding.

    Args:
        space: the search space.
        arch: a valid architecture of ``space``.
        key: canonical key used to drop repeats and ``arch`` itself (default ``str``).

    Returns:
        The neighbours in row order, then choice order (without repeats).
    """
    x = space.encode([arch])[0]
    rows = x.argmax(dim=1).tolist()
    cands = []
    for r, count in enumerate(space.choice_counts):
        for c in range(count):
            if c != rows[r]:
                y = x.clone()
                y[r] = 0.0
                y[r, c] = 1.0
                cands.append(y)
    if not cands:
        return []
    out, seen = [], {key(arch)}
    for a in space.decode(torch.stack(cands)):
        k = key(a)
        if k not in seen:
            seen.add(k)
            out.append(a)
    return out


def run_local(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    improvement: str = "first",
    max_restart_tries: int = 1000,
) -> dict[str, Any]:
    """Local search with random restarts until the tracker stops it.

    Args:
        space: the search space.
        tracker: budget, best and history (its direction is respected).
        seed: seeds the restarts and the neighbour order: same seed, same queries.
        improvement: ``"first"`` (move to the first better neighbour, in random order) or
            ``"best"`` (query the whole neighbourhood, move to its best).
        max_restart_tries: random draws allowed to find a not-yet-queried restart point;
            when none is found the search stops (``"stalled"``).

    Returns:
        Extras: ``restarts`` (local optima reached) and ``moves`` (improving steps).

    Raises:
        ValueError: on an unknown ``improvement`` or a ``max_restart_tries`` below 1.
    """
    if improvement not in IMPROVEMENT:
        raise ValueError(f"improvement must be one of {IMPROVEMENT}, got {improvement!r}")
    if (
        isinstance(max_restart_tries, bool)
        or not isinstance(max_restart_tries, int)
        or (max_restart_tries < 1)
    ):
        raise ValueError(f"max_restart_tries must be an integer >= 1, got {max_restart_tries!r}")
    g = torch.Generator().manual_seed(seed)
    restarts = moves = 0
    while not tracker.done:
        start = _fresh(space, tracker, g, max_restart_tries)
        if start is None:
            tracker.stop("stalled")
            break
        cur, cur_v = start, _score(float(tracker.query([start], origin="restart")[0]), tracker)
        while not tracker.done:
            step = _step(space, tracker, cur, cur_v, g, improvement)
            if step is None:
                restarts += int(not tracker.done)
                break
            cur, cur_v = step
            moves += 1
    return {"restarts": restarts, "moves": moves}


def _step(space, tracker, cur, cur_v, g, improvement) -> tuple[Any, float] | None:
    """One improving move from ``cur`` (None at a local optimum or when stopped)."""
    nbrs = neighbours(space, cur, tracker.key)
    order = torch.randperm(len(nbrs), generator=g).tolist()
    best: tuple[Any, float] | None = None
    for i in order:
        if tracker.done:
            return None
        v = _score(float(tracker.query([nbrs[i]], origin="neighbour")[0]), tracker)
        if v > (cur_v if best is None else best[1]):
            best = (nbrs[i], v)
            if improvement == "first":
                return best
    return best


def _fresh(space, tracker, g, tries) -> Any | None:
    """A random architecture not queried before (None after ``tries`` draws)."""
    for _ in range(tries):
        a = space.sample(1, generator=g)[0]
        if not tracker.seen(a):
            return a
    return None


def _score(v: float, tracker: Tracker) -> float:
    """Higher is better; NaN and +-inf rank below every finite value."""
    if not math.isfinite(v):
        return -math.inf
    return v if tracker.maximize else -v
