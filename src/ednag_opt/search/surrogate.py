"""Surrogate mode: the diffusion generator searches a learned predictor, and only its best
new architectures are queried for real, in rounds.

```
random init -> real queries -> fit ArchSurrogate -> EDNAG on the acquisition
     ^                                                  | (already-queried archs excluded)
     +---- real queries of the top `per_round` new -----+
```
Each round trains a fresh :class:`~ednag_opt.fitness.predictors.ArchSurrogate` on every
architecture queried so far, runs the EDNAG searcher against the acquisition (``"mean"``:
predicted fitness; ``"ucb"``: mean plus ``beta`` ensemble standard deviations) for
``search_queries`` cheap surrogate evaluations, and queries the real fitness for the
``per_round`` best architectures it produced that were not queried before. Already-queried
architectures are known to the inner search's cache, so its novelty move steers away.

If ``restart_after`` real queries bring no improvement, the search restarts from a fresh
random sample and the surrogate forgets the earlier queries (they stay excluded and
counted). Only real queries count; ``wall_time`` includes fitting and searching.

With ``prior=`` (related tasks: fitness sources, ``(architectures, values)`` tables or a
meta-trained :class:`~ednag_opt.fitness.predictors.PriorSurrogate`), the predictor is
meta-trained on the related tasks once, there is no random initial sample (the first
query is the prior's best candidate), and each round adapts the prior to the real
queries made so far (:meth:`PriorSurrogate.adapt`) instead of fitting from scratch. The
history's ``predicted_best`` is then a score (larger is better), not in the fitness's units.
A prior can mislead: when the search with it stalls (``restart_after`` queries without
improvement), ``prior_stall="drop"`` (the default) goes on without the prior, fitting a
fresh surrogate on every query made so far (surrogate mode without transfer from there on);
``"restart"`` restarts from a random sample and adapts the prior to it again. Before the
first stall the two are the same search, query for query.

``recombine=r`` takes up to ``r`` of each round's ``per_round`` queries, once there are
``recombine_after`` real queries, from the recombinations of the best ``recombine_top``
architectures queried so far (every candidate
whose choice at each position of the space's encoding is one of theirs), in the order of the
acquisition; the rest come from all candidates. With a prior, whose first queries are near
copies of its best cell, this recombines the choices the new task rewarded instead of
following the prior into choices it never tried. ``recombine=0`` (the default) is the
former search, query for query.
"""

from __future__ import annotations

import math
import time
from typing import Any

import numpy as np
import torch

from ..fitness import CachedFitness
from ..fitness.predictors.prior_tasks import resolve_prior
from ..fitness.predictors.surrogate import ArchSurrogate
from ..spaces import SearchSpace
from .ednag import run_ednag
from .tracker import Tracker

__all__ = ["run_surrogate"]

ACQUISITIONS = ("mean", "ucb")
PRIOR_STALL = ("drop", "restart")


def run_surrogate(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    init: int = 10,
    per_round: int = 3,
    acquisition: str = "mean",
    beta: float = 1.0,
    surrogate: ArchSurrogate | dict[str, Any] | None = None,
    restart_after: int | None = 100,
    optimizer: str = "generate",
    search_queries: int = 1000,
    popsize: int = 50,
    num_steps: int = 20,
    preset: str = "unguided",
    prior: Any = None,
    prior_options: dict[str, Any] | None = None,
    recombine: int = 0,
    recombine_top: int = 5,
    recombine_after: int = 6,
    prior_stall: str = "drop",
    **strategy_options: Any,
) -> dict[str, Any]:
    """Query the real fitness only for the generator's best candidates under a surrogate.

    Args:
        space: the search space.
        tracker: the real fitness's budget, best and history.
        seed: seeds the initial sample, the surrogate and the generator.
        init: distinct random architectures queried before the first fit (>= 2).
        per_round: new architectures queried per round (the surrogate's top-k).
        acquisition: ``"mean"`` or ``"ucb"`` (mean plus ``beta`` ensemble std).
        beta: exploration weight of ``"ucb"``.
        surrogate: an unfitted :class:`ArchSurrogate` used as a template (refitted from
            scratch each round) or a dict of its keyword arguments.
        restart_after: real queries without improvement before a restart (``None``:
            never).
        optimizer: ``"generate"`` (the diffusion generator) or ``"exhaustive"`` (score all
            of ``space.enumerate()``: small spaces, an ablation).
        search_queries: surrogate evaluations the generator may spend per round.
        popsize, num_steps, preset, **strategy_options: the inner EDNAG search's options
            (``"unguided"``: the inner search already runs on a learned model, so it
            takes the diffusion's samples without the ridge guide of the default preset).
        prior: related tasks (see the module docstring): a fitted ``PriorSurrogate``, or a
            list of fitness sources (a table source gives its whole column; another
            source is queried on a random sample), ``(architectures, values)`` pairs in
            the searched fitness's direction, or fitted ``PriorSurrogate`` (one).
            ``None``: no transfer (``init`` random queries, a fresh surrogate per round).
        prior_options: keyword arguments of the ``PriorSurrogate`` meta-trained from
            ``prior`` (e.g. ``{"conditioned": False}``: the blind twin).
        recombine: queries per round drawn from the recombinations of the best
            ``recombine_top`` queried architectures (see the module docstring; at most
            ``per_round``; 0: none, the former search).
        recombine_top: how many of the best queried architectures are recombined.
        recombine_after: real queries (of the current segment) before recombining.
        prior_stall: with a prior, what the first stall does (see the module docstring):
            ``"drop"`` the prior and go on without transfer on every query so far, or
            ``"restart"`` from a random sample with the prior.

    Returns:
        Extras: ``rounds`` (and, with a prior, ``prior_fit_time`` and ``prior_dropped_at``:
        the real queries made when the prior was dropped, ``None`` if it never was).
    """
    _check(acquisition, optimizer, init, per_round, search_queries)
    if prior_stall not in PRIOR_STALL:
        raise ValueError(f"prior_stall must be one of {PRIOR_STALL}, got {prior_stall!r}")
    _check_recombine(space, recombine, recombine_top, recombine_after, per_round)
    sign = 1.0 if tracker.maximize else -1.0
    params = _surrogate_params(surrogate, space)
    t_prior = time.perf_counter()
    prior_model = None if prior is None else resolve_prior(
        prior, space, tracker.maximize, seed=seed, options=prior_options)  # fmt: skip
    t_prior = time.perf_counter() - t_prior
    if prior_model is not None:
        params = {"prior": prior_model}
    g = torch.Generator().manual_seed(seed)
    before = set(tracker.cache.values)  # known before this search: never proposed again
    pool = space.enumerate() if optimizer == "exhaustive" else None
    inner = dict(popsize=popsize, num_steps=num_steps, preset=preset, **strategy_options)
    rec = None if recombine == 0 else _Recombine(space, (recombine, recombine_top,
                                                         recombine_after), sign, pool)  # fmt: skip
    if prior_model is None:
        first = _random_new(space, tracker, min(init, tracker.remaining), before, g)
        tracker.query(first, origin="random", info={"round": 0})
    rnd, segment, improved_at, dropped_at = 0, 0, tracker.unique_queries, None
    while not tracker.done:
        rnd += 1
        last_best = tracker.best_fitness
        if restart_after is not None and tracker.unique_queries - improved_at >= restart_after:
            if "prior" in params and prior_stall == "drop":  # the prior misleads: drop it,
                params = _surrogate_params(surrogate, space)  # keep every query so far
                improved_at = dropped_at = tracker.unique_queries
                continue
            segment = tracker.unique_queries
            taken = before | {tracker.key(a) for a, _ in tracker.queries}
            fresh = _random_new(space, tracker, min(init, tracker.remaining), taken, g)
            if not fresh:
                tracker.stop("exhausted")
                break
            tracker.query(fresh, origin="random", info={"round": rnd, "restart": True})
            improved_at = tracker.unique_queries
            continue
        batch, row = _propose(space, tracker, params, sign, seed * 1009 + rnd, beta
                              if acquisition == "ucb" else 0.0, pool, before, segment,
                              per_round, search_queries, inner, g, rec)  # fmt: skip
        if not batch:
            tracker.stop("exhausted")
            break
        tracker.query(batch, origin="surrogate", info={"round": rnd, **row})
        if last_best is None or tracker.best_fitness != last_best:
            improved_at = tracker.unique_queries
    if prior_model is None:
        return {"rounds": rnd}
    return {"rounds": rnd, "prior_fit_time": t_prior, "prior_dropped_at": dropped_at}


def _propose(space, tracker, params, sign, rseed, beta, pool, before, segment, k, budget,
             inner, g, rec=None) -> tuple[list[Any], dict[str, Any]]:  # fmt: skip
    """Fit the surrogate on the current segment's queries; the top ``k`` new candidates."""
    t_fit = time.perf_counter()
    data = [(a, v) for a, v in tracker.queries[segment:] if math.isfinite(v)]
    taken = before | {tracker.key(a) for a, _ in tracker.queries}
    k = int(min(k, tracker.remaining))
    if "prior" in params:  # adapt the meta-trained prior (0 queries: the prior itself)
        model: Any = params["prior"].adapt([a for a, _ in data], [sign * v for _, v in data],
                                           seed=rseed)  # fmt: skip
    elif len(data) < 2:  # nothing to learn from (failed evaluations): sample at random
        return _random_new(space, tracker, k, taken, g), {"fit_time": 0.0, "search_time": 0.0}
    else:
        model = ArchSurrogate(**{**params, "seed": rseed})
        model.fit([a for a, _ in data], [sign * v for _, v in data])  # larger: better
    t_search = time.perf_counter()
    acq = _Acquisition(model, beta)
    idx = None
    if pool is not None:
        idx = [i for i, a in enumerate(pool) if tracker.key(a) not in taken]
        cand = [pool[i] for i in idx]
        scores = acq(cand).numpy() if cand else np.empty(0)
    else:
        surr = CachedFitness(acq, maximize=True, name="acquisition", key=tracker.cache.key)
        known = [a for a, _ in tracker.queries]
        surr.values.update(zip([tracker.key(a) for a in known], acq(known).tolist()))
        sub = Tracker(space, surr, maximize=True, max_queries=budget)
        run_ednag(space, sub, seed=rseed, **inner)
        new = [(a, v) for a, v in sub.queries if tracker.key(a) not in taken]
        cand = [a for a, _ in new]
        scores = np.array([v for _, v in new], dtype=np.float64)
    order = np.argsort(-scores, kind="stable")
    order = order[:k] if rec is None else rec.select(order, cand, idx, data, k)
    batch = [cand[i] for i in order]
    if len(batch) < k:  # the generator found too few new ones: top up at random
        taken |= {tracker.key(a) for a in batch}
        batch += _random_new(space, tracker, k - len(batch), taken, g)
    pred = [float(scores[i]) for i in order]
    return batch, {
        "fit_time": t_search - t_fit,
        "search_time": time.perf_counter() - t_search,
        "predicted_best": sign * pred[0] if pred else float("nan"),
    }


class _Recombine:
    """Recombinations of the best queried architectures first (``recombine=``)."""

    def __init__(self, space: SearchSpace, sizes: tuple[int, int, int], sign: float,
                 pool: Any) -> None:  # fmt: skip
        self.space, self.sign = space, sign
        self.n, self.top, self.after = sizes
        self.pool_codes = None if pool is None else self.codes(pool)

    def codes(self, archs: list[Any]) -> np.ndarray:
        """The choice at each position of the encoding, ``(N, L)``."""
        return self.space.encode(list(archs)).argmax(dim=-1).numpy()

    def select(self, order: np.ndarray, cand: list[Any], idx: list[int] | None,
               data: list[tuple[Any, float]], k: int) -> np.ndarray:  # fmt: skip
        """Up to ``n`` of ``k`` candidates in ``order`` that recombine the best ``top``
        queried ones (by value), then the best of the others."""
        if len(data) < max(self.after, 1) or not len(order):
            return order[:k]
        vals = np.array([self.sign * v for _, v in data])
        best = np.argsort(-vals, kind="stable")[: self.top]
        parents = self.codes([data[i][0] for i in best])
        codes = self.pool_codes[idx] if idx is not None else self.codes(cand)
        ok = np.ones(len(cand), dtype=bool)
        for j in range(codes.shape[1]):
            ok &= np.isin(codes[:, j], parents[:, j])
        first = [i for i in order if ok[i]][: min(self.n, k)]
        taken = set(first)
        rest = [i for i in order if i not in taken][: k - len(first)]
        return np.array(first + rest, dtype=np.int64)


def _check_recombine(space: SearchSpace, n: Any, top: Any, after: Any, per_round: int) -> None:
    for name, v, low in (("recombine", n, 0), ("recombine_top", top, 1),
                         ("recombine_after", after, 0)):  # fmt: skip
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")
    if n > per_round:
        raise ValueError(f"recombine ({n}) must be at most per_round ({per_round})")
    if n and space.encode(space.sample(1, generator=torch.Generator())).ndim != 3:
        raise ValueError(f"recombine needs a one-hot (N, L, C) encoding; {space.name} has none")


def _check(acquisition: str, optimizer: str, init: int, per_round: int, budget: int) -> None:
    if acquisition not in ACQUISITIONS:
        raise ValueError(f"acquisition must be one of {ACQUISITIONS}, got {acquisition!r}")
    if optimizer not in ("generate", "exhaustive"):
        raise ValueError(f"optimizer must be 'generate' or 'exhaustive', got {optimizer!r}")
    for name, v, low in (("init", init, 2), ("per_round", per_round, 1),
                         ("search_queries", budget, 1)):  # fmt: skip
        if isinstance(v, bool) or not isinstance(v, int) or v < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")


class _Acquisition:
    """Acquisition score of a surrogate fitted on ``sign * y`` (higher is better)."""

    def __init__(self, model: Any, beta: float) -> None:
        self.model, self.beta = model, beta

    def __call__(self, archs: list[Any]) -> torch.Tensor:
        archs = list(archs)
        if not archs:
            return torch.empty(0, dtype=torch.float64)
        if self.beta == 0.0:
            return torch.from_numpy(self.model.predict(archs))
        mean, std = self.model.predict(archs, return_std=True)
        return torch.from_numpy(mean + self.beta * std)


def _surrogate_params(surrogate: Any, space: SearchSpace) -> dict[str, Any]:
    if surrogate is None:
        return {"space": space}
    if isinstance(surrogate, ArchSurrogate):
        params = surrogate.get_params()
        params.update(space=surrogate.space, device=surrogate.device)
        return params
    if isinstance(surrogate, dict):
        return {"space": space, **surrogate}
    raise TypeError(f"surrogate must be an ArchSurrogate or a dict, got {type(surrogate)}")


def _random_new(space, tracker, n, taken: set[str], g: torch.Generator) -> list[Any]:
    """Up to ``n`` distinct random architectures whose keys are not in ``taken``."""
    out: list[Any] = []
    seen = set(taken)
    n = int(min(n, 10**9))
    for _ in range(100):
        if len(out) >= n:
            break
        for a in space.sample(max(2 * (n - len(out)), 8), generator=g):
            k = tracker.key(a)
            if k not in seen and len(out) < n:
                seen.add(k)
                out.append(a)
    return out
