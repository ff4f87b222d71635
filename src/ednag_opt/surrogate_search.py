"""Surrogate-assisted generation: the diffusion generator searches a learned predictor and only
its best new architectures are queried for real, in rounds.

```
random init -> real queries -> fit ArchSurrogate -> generate() on the acquisition
     ^                                                   | (already-queried archs excluded)
     +---- real queries of the top `per_round` new ------+
```
Each round trains a fresh :class:`~ednag_opt.fitness.predictors.ArchSurrogate` on every
architecture queried so far, runs :func:`~ednag_opt.generate.generate` against the
acquisition (``"mean"``: predicted fitness; ``"ucb"``: mean plus ``beta`` ensemble standard
deviations) for ``search_queries`` cheap surrogate evaluations, and queries the real
fitness for the ``per_round`` best architectures the generator produced that were not
queried before. Already-queried architectures are pre-loaded into the generator's cache, so
its novelty mechanism steers offspring away from them.

If ``restart_after`` real queries bring no improvement (the surrogate keeps proposing the
same basin), the search restarts from a fresh random sample and the surrogate forgets the
earlier queries (they stay excluded and counted).

Only real queries are counted in ``unique_queries`` / ``total_queries``; the returned cache
is the real fitness's, so ``cache.history`` and ``cache.queries_to_reach`` work as for
:func:`~ednag_opt.generate.generate`. ``wall_time`` includes fitting and searching the
surrogate.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

from ednag_opt.fitness import CachedFitness, FitnessSource
from ednag_opt.fitness.predictors.surrogate import ArchSurrogate
from ednag_opt.generate import GenerationResult, generate
from ednag_opt.spaces import SearchSpace, get_space

__all__ = ["surrogate_generate"]

ACQUISITIONS = ("mean", "ucb")


def surrogate_generate(
    space: str | SearchSpace,
    fitness: FitnessSource | Callable[[Sequence[Any]], Any],
    *,
    init: int = 10,
    per_round: int = 3,
    max_queries: int = 500,
    seed: int = 0,
    acquisition: str = "mean",
    beta: float = 1.0,
    target: float | None = None,
    maximize: bool | None = None,
    surrogate: ArchSurrogate | dict[str, Any] | None = None,
    restart_after: int | None = 100,
    optimizer: str = "generate",
    search_queries: int = 1000,
    popsize: int = 50,
    num_steps: int = 20,
    preset: str = "default",
    callback: Callable[[dict[str, Any]], None] | None = None,
    **strategy_kwargs: Any,
) -> GenerationResult:
    """Search ``space`` for architectures that score well under ``fitness``, querying it
    only for the generator's best candidates under a surrogate model.

    Args:
        space: a search-space name or object.
        fitness: the real (expensive) fitness: a fitness source or a function of a list
            of architectures; wrapped in :class:`CachedFitness` unless it is one.
        init: distinct random architectures queried before the first fit (>= 2).
        per_round: new architectures queried per round (the surrogate's top-k).
        max_queries: budget of unique real queries.
        seed: seeds the initial sample, the surrogate and the generator: same seed, same
            result.
        acquisition: ``"mean"`` (predicted fitness) or ``"ucb"`` (optimistic: mean plus
            ``beta`` ensemble standard deviations in the direction of improvement).
        beta: exploration weight of ``"ucb"``.
        target: stop as soon as a real fitness at least this good has been queried.
        maximize: direction; default from ``fitness.maximize`` (True for functions).
        surrogate: an unfitted :class:`ArchSurrogate` used as a template (its parameters,
            refitted from scratch each round) or a dict of its keyword arguments.
        restart_after: after this many real queries without a better one, restart: a
            fresh random sample of ``init`` architectures, and the surrogate is trained
            only on what was queried since (an independent attempt that keeps the budget
            and never re-queries). ``None``: never restart.
        optimizer: ``"generate"`` (the diffusion generator, default) or ``"exhaustive"``
            (score every architecture of ``space.enumerate()``: small spaces, ablation).
        search_queries: surrogate evaluations the generator may spend per round.
        popsize, num_steps, preset, **strategy_kwargs: passed to :func:`generate` for the
            search on the surrogate.
        callback: called with each round's history row.

    Returns:
        GenerationResult: ``best_arch`` / ``best_fitness`` the best real query;
        ``population`` / ``population_fitness`` every real query and its value (so
        ``top_k`` ranks real values); ``history`` one row per round.
    """
    t0 = time.perf_counter()
    if acquisition not in ACQUISITIONS:
        raise ValueError(f"acquisition must be one of {ACQUISITIONS}, got {acquisition!r}")
    if optimizer not in ("generate", "exhaustive"):
        raise ValueError(f"optimizer must be 'generate' or 'exhaustive', got {optimizer!r}")
    if init < 2 or per_round < 1 or max_queries < 1 or search_queries < 1:
        raise ValueError("need init >= 2, per_round >= 1, max_queries >= 1, search_queries >= 1")
    space = get_space(space) if isinstance(space, str) else space
    cache = fitness if isinstance(fitness, CachedFitness) else CachedFitness(fitness)
    if maximize is None:
        maximize = bool(getattr(cache, "maximize", True))
    sign = 1.0 if maximize else -1.0
    params = _surrogate_params(surrogate, space)
    g = torch.Generator().manual_seed(seed)
    archs: dict[str, Any] = {}  # every real query, by key, in query order
    values: dict[str, float] = {}
    history: list[dict[str, Any]] = []
    best: list[Any] = [None, None]  # arch, fitness
    pool = space.enumerate() if optimizer == "exhaustive" else None
    before = {k for k, _ in cache.history}  # queried before this call: never proposed again

    def query(batch: list[Any], row: dict[str, Any]) -> None:
        for a, v in zip(batch, cache(batch).tolist(), strict=True):
            archs[str(a)], values[str(a)] = a, v
            if v == v and (best[1] is None or sign * (v - best[1]) > 0):
                best[0], best[1] = a, v
        row.update(
            unique_queries=cache.unique_queries,
            total_queries=cache.total_queries,
            best_fitness=best[1],
            round_best=_nanbest([values[str(a)] for a in batch], sign),
            wall_time=time.perf_counter() - t0,
        )
        history.append(row)
        if callback is not None:
            callback(row)

    def done() -> bool:
        reached = target is not None and best[1] is not None and sign * (best[1] - target) >= 0
        return reached or cache.unique_queries >= max_queries

    first = _random_new(space, min(init, max_queries), before, g)
    query(first, {"round": 0, "new": len(first), "fit_time": 0.0, "search_time": 0.0})
    rnd, segment, improved_at = 0, 0, cache.unique_queries
    while not done():
        rnd += 1
        last_best = best[1]
        if restart_after is not None and cache.unique_queries - improved_at >= restart_after:
            segment, taken = len(archs), set(archs) | before
            fresh = _random_new(space, min(init, max_queries - cache.unique_queries), taken, g)
            if not fresh:
                break  # the space is exhausted
            row = {"round": rnd, "new": len(fresh), "fit_time": 0.0, "search_time": 0.0}
            query(fresh, {**row, "restart": True})
            improved_at = cache.unique_queries
            continue
        t_fit = time.perf_counter()
        keys = [k for k in list(archs)[segment:] if values[k] == values[k]]
        model = ArchSurrogate(**{**params, "seed": seed * 1009 + rnd})
        model.fit([archs[k] for k in keys], [sign * values[k] for k in keys])  # larger: better
        t_search = time.perf_counter()
        acq = _Acquisition(model, beta if acquisition == "ucb" else 0.0)
        k = min(per_round, max_queries - cache.unique_queries)
        if pool is not None:
            cand = [a for a in pool if str(a) not in archs and str(a) not in before]
            scores = acq(cand).numpy() if cand else np.empty(0)
        else:
            surr = CachedFitness(acq, maximize=True, name="acquisition")
            known = list(archs.values())
            surr.values.update(zip(archs, acq(known).tolist()))
            generate(
                space, surr, popsize=popsize, num_steps=num_steps, preset=preset,
                seed=seed * 1009 + rnd, max_queries=search_queries, maximize=True,
                **strategy_kwargs,
            )  # fmt: skip
            new = [(key, v) for key, v in surr.history if key not in archs]
            new = [(key, v) for key, v in new if key not in before]
            cand = [acq.seen[key] for key, _ in new]
            scores = np.array([v for _, v in new], dtype=np.float64)
        order = np.argsort(-scores, kind="stable")[:k]
        batch = [cand[i] for i in order]
        if len(batch) < k:  # the generator found too few new ones: top up at random
            taken = set(archs) | before | {str(a) for a in batch}
            batch += _random_new(space, k - len(batch), taken, g)
        if not batch:
            break  # the space is exhausted
        t_end = time.perf_counter()
        pred = [float(scores[i]) for i in order]
        row = {
            "round": rnd,
            "new": len(batch),
            "fit_time": t_search - t_fit,
            "search_time": t_end - t_search,
            "predicted_best": sign * pred[0] if pred else math.nan,
        }
        query(batch, row)
        improved = last_best is None or (best[1] is not None and sign * (best[1] - last_best) > 0)
        improved_at = cache.unique_queries if improved else improved_at
    queried = list(archs.values())
    return GenerationResult(
        space=space,
        best_arch=best[0],
        best_fitness=best[1],
        population=queried,
        population_fitness=torch.tensor([values[k] for k in archs], dtype=torch.float64),
        unique_queries=cache.unique_queries,
        total_queries=cache.total_queries,
        wall_time=time.perf_counter() - t0,
        history=history,
        cache=cache,
        maximize=maximize,
    )


class _Acquisition:
    """Acquisition score of a surrogate fitted on ``sign * y`` (higher is better); remembers
    the architectures it scored."""

    def __init__(self, model: ArchSurrogate, beta: float) -> None:
        self.model, self.beta = model, beta
        self.seen: dict[str, Any] = {}

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        archs = list(archs)
        for a in archs:
            self.seen.setdefault(str(a), a)
        if not archs:
            return torch.empty(0, dtype=torch.float64)
        if self.beta == 0.0:
            out = torch.from_numpy(self.model.predict(archs))
        else:
            mean, std = self.model.predict(archs, return_std=True)
            out = torch.from_numpy(mean + self.beta * std)
        return out


def _surrogate_params(
    surrogate: ArchSurrogate | dict[str, Any] | None, space: SearchSpace
) -> dict[str, Any]:
    if surrogate is None:
        return {"space": space}
    if isinstance(surrogate, ArchSurrogate):
        params = surrogate.get_params()
        params.update(space=surrogate.space, device=surrogate.device)
        return params
    if isinstance(surrogate, dict):
        return {"space": space, **surrogate}
    raise TypeError(f"surrogate must be an ArchSurrogate or a dict, got {type(surrogate)}")


def _random_new(space: SearchSpace, n: int, taken: set[str], g: torch.Generator) -> list[Any]:
    """Up to ``n`` distinct random architectures whose keys are not in ``taken``."""
    out: list[Any] = []
    seen = set(taken)
    for _ in range(100):
        if len(out) >= n:
            break
        for a in space.sample(max(2 * (n - len(out)), 8), generator=g):
            if str(a) not in seen and len(out) < n:
                seen.add(str(a))
                out.append(a)
    return out


def _nanbest(v: list[float], sign: float) -> float:
    finite = [x for x in v if x == x]
    return (max(finite) if sign > 0 else min(finite)) if finite else math.nan
