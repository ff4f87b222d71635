"""`search()`: every searcher behind one interface, and the `SEARCHERS` registry.

```
search(name, space, fitness, max_queries=, seed=, target=, callback=, **options)
   -> SearchResult(best_arch, best_fitness, queries, top_k(k), history, metadata, save/load)
```
"""

from __future__ import annotations

import contextlib
import inspect
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ..fitness import CachedFitness, FitnessSource
from ..spaces import SearchSpace, get_space
from .baselines import run_random, run_rea
from .checkpoint import Checkpoint
from .ednag import run_ednag
from .local import run_local
from .multiobjective import MultiFitness, attach_objectives, is_multi, run_ednag_mo
from .observers import JsonLinesLog, ProgressBar
from .result import SearchResult
from .staged import run_staged
from .surrogate import run_surrogate
from .tpe import run_tpe
from .tracker import Tracker

__all__ = ["SEARCHERS", "Searcher", "register_searcher", "search"]


@dataclass(frozen=True)
class Searcher:
    """A registered searcher.

    Attributes:
        name: registry key.
        run: ``run(space, tracker, *, seed, **options) -> extras``; it queries through the
            tracker until ``tracker.done``.
        needs_budget: whether ``max_queries`` is required.
        summary: one line for listings.
    """

    name: str
    run: Callable[..., dict[str, Any]]
    needs_budget: bool
    summary: str

    def option_names(self) -> list[str]:
        params = inspect.signature(self.run).parameters.values()
        return [p.name for p in params if p.kind is p.KEYWORD_ONLY and p.name != "seed"]

    def accepts_any(self) -> bool:
        return any(p.kind is p.VAR_KEYWORD for p in inspect.signature(self.run).parameters.values())


#: Every searcher, by name. Add your own with :func:`register_searcher`.
SEARCHERS: dict[str, Searcher] = {}


def register_searcher(name: str, run: Callable[..., dict[str, Any]], *, needs_budget: bool,
                      summary: str) -> Searcher:  # fmt: skip
    """Add a searcher to :data:`SEARCHERS` (see :class:`Searcher` for the contract)."""
    if not callable(run):
        raise TypeError(f"run must be callable, got {type(run).__name__}")
    SEARCHERS[name] = Searcher(name, run, bool(needs_budget), summary)
    return SEARCHERS[name]


register_searcher("ednag", run_ednag, needs_budget=False,
                  summary="evolutionary diffusion (EDNAG), restarts until the budget is spent")
register_searcher("surrogate", run_surrogate, needs_budget=True,
                  summary="EDNAG on a learned predictor; only its best candidates are queried")
register_searcher("rea", run_rea, needs_budget=True,
                  summary="regularised (aging) evolution, Real et al. 2019")
register_searcher("random", run_random, needs_budget=True,
                  summary="random search without replacement")  # fmt: skip
register_searcher("local", run_local, needs_budget=True,
                  summary="local search, one-row neighbours, random restarts (White et al. 2021)")
register_searcher("tpe", run_tpe, needs_budget=True,
                  summary="Optuna's multivariate TPE sampler (extra 'tpe')")  # fmt: skip


#: The multi-objective EDNAG searcher: ``search("ednag", ...)`` runs it when the fitness is
#: a list of sources (see ``search.multiobjective``); not in SEARCHERS (one fitness each).
MO_EDNAG = Searcher("ednag-mo", run_ednag_mo, False,
                    "EDNAG ranking by Pareto dominance, several objectives")  # fmt: skip
#: ``constraints="staged"`` (the default for a penalised constrained source since session
#: 19): one constraint-mode run, then the penalised scalar.
STAGED = Searcher("ednag-staged", run_staged, False,
                  "EDNAG in constraint mode for one run, then on the penalised scalar")  # fmt: skip
#: The values of ``search("ednag", ..., constraints=...)`` for a constrained source.
CONSTRAINT_MODES = ("split", "staged", "penalty")


def search(
    searcher: str,
    space: str | SearchSpace,
    fitness: FitnessSource | Callable[[list[Any]], Any],
    *,
    max_queries: int | None = None,
    seed: int = 0,
    target: float | None = None,
    maximize: bool | None = None,
    callback: Callable[[dict[str, Any]], None] | None = None,
    progress: bool = False,
    log: str | Path | None = None,
    checkpoint: str | Path | None = None,
    threads: int | None = 1,
    distinct: str = "architectures",
    **options: Any,
) -> SearchResult:
    """Search ``space`` for architectures that score well under ``fitness``.

    Args:
        searcher: a key of :data:`SEARCHERS` (``"ednag"``, ``"surrogate"``, ``"rea"``,
            ``"random"``, ...).
        space: a search-space name (``ednag_opt.spaces.list_spaces()``) or object.
        fitness: a fitness source (it declares ``maximize``), a
            :class:`~ednag_opt.fitness.CachedFitness` (its cache is used and kept), or a
            plain function of a list of architectures (then ``maximize=`` is required).
            A list of sources is a multi-objective search (``result.pareto_front()``;
            ``maximize=`` then gives one direction per source that declares none).
        max_queries: budget of unique queries, never exceeded. ``None`` (``"ednag"``
            only): one diffusion run.
        seed: seeds everything: same seed, same queries, same result.
        target: stop once a value at least this good has been queried (finite).
        maximize: direction; must agree with the fitness source's when it declares one.
        callback: called with each history row (one format for every searcher).
        progress: show a rich progress bar.
        log: append each history row as a JSON line to this file.
        checkpoint: save the search here after each batch and on any exit; rerunning
            the same call resumes bit-identically (see ``search.checkpoint``).
        threads: torch threads during the search (1: fastest for small populations on a
            busy machine); ``None`` leaves torch's setting alone.
        distinct: ``"architectures"`` (default): every architecture is its own query.
            ``"networks"``: architectures that encode the same network are one: each is
            queried as its canonical form (the space's ``canonicalize``; NAS-Bench-201:
            :meth:`~ednag_opt.spaces.NB201Space.prune`, 15,625 cells but 9,445
            networks), so the searchers spend every query on a new network and the
            result holds canonical forms. Needs a space with ``canonicalize``.
        **options: the searcher's own options (e.g. ``popsize`` for ``"ednag"``); an
            unknown name raises ``TypeError``. ``"ednag"`` also takes ``constraints``
            for a penalised constrained source (``LatencyConstrained``): ``"split"``
            searches its objective and cost as two objectives under the cost's limit
            (the multi-objective searcher's constraint mode, ranked by Pareto dominance
            among feasible architectures, one model per part; the default of sessions
            7-18); ``"staged"`` (the default since session 19, ``search.staged``) runs
            one such run, then the penalised scalar for the rest of the budget, and
            takes ``preset``, ``popsize`` and ``num_steps`` for both stages; ``"penalty"``
            searches the penalised scalar alone (the default before session 7).

    Returns:
        SearchResult: the best architecture, every query in order, the history and the
        metadata of the run. If the fitness raises or the search is interrupted, the
        exception carries the partial result as ``exc.partial_result`` (and the
        checkpoint, if any, is written first).
    """
    spec = _searcher(searcher)
    split = _split(fitness, options) if spec.name == "ednag" else None
    if spec.name == "ednag" and (split or is_multi(fitness)):
        # several objectives, or a split constraint: Pareto ranking (staged: then the scalar)
        spec = STAGED if split == "staged" else MO_EDNAG
    space = get_space(space) if isinstance(space, str) else space
    if not isinstance(space, SearchSpace):
        raise TypeError(f"space must be a name or a SearchSpace, got {type(space).__name__}")
    _check_options(spec, options)
    max_queries, target, seed = _check_run(spec, max_queries, target, seed, callback)
    cache, maximize = _cache(fitness, maximize)
    canonical = _canonical(space, distinct)
    meta = _metadata(spec, space, cache, options, seed, max_queries, target, maximize)
    if canonical is not None:
        meta["distinct"] = distinct
    if split:
        meta["constraints"] = split
    ckpt = None if checkpoint is None else Checkpoint(checkpoint, meta)
    replay = [] if ckpt is None else ckpt.load(cache)
    with contextlib.ExitStack() as stack:
        observers: list[Callable[[dict[str, Any]], None]] = []
        if progress:
            label = f"{spec.name} on {space.name}"
            observers.append(stack.enter_context(ProgressBar(label, max_queries)))
        if log is not None:
            observers.append(_log(stack, log))
        if callback is not None:
            observers.append(callback)
        tracker = Tracker(space, cache, maximize=maximize, max_queries=max_queries,
                          target=target, observers=observers, replay=replay,
                          canonical=canonical)  # fmt: skip
        if ckpt is not None:
            observers.insert(0, lambda row: ckpt.save(tracker))
        stack.enter_context(_torch_threads(threads))
        try:
            extras = spec.run(space, tracker, seed=seed, **options)
        except BaseException as exc:
            tracker.stop("interrupted" if isinstance(exc, KeyboardInterrupt) else "error")
            if ckpt is not None:
                ckpt.save(tracker, force=True)
            exc.partial_result = attach_objectives(tracker.result(meta))  # type: ignore[attr-defined]
            raise
        if ckpt is not None:
            ckpt.save(tracker, force=True)
    return attach_objectives(tracker.result(meta, extras))


def _split(fitness: Any, options: dict[str, Any]) -> str | None:
    """The constraint mode ``"ednag"`` runs a penalised constrained source
    (``constraint_parts()``, e.g. ``LatencyConstrained``) in: ``"staged"`` (the default:
    the first run split, then the penalised scalar; ``search.staged``) or ``"split"``
    (objective and cost as two objectives under the cost's limit); ``None`` for
    ``"penalty"`` (the scalar penalised value alone) or another source. Pops the option."""
    mode = options.pop("constraints", "staged")
    if mode not in CONSTRAINT_MODES:
        raise ValueError(f"constraints must be one of {CONSTRAINT_MODES}, got {mode!r}")
    source = fitness.source if isinstance(fitness, CachedFitness) else fitness
    constrained = callable(getattr(source, "constraint_parts", None))
    return mode if constrained and mode != "penalty" else None


def _canonical(space: SearchSpace, distinct: Any) -> Callable[[Any], Any] | None:
    """The tracker's canonical map for ``distinct`` (``None`` for ``"architectures"``)."""
    if distinct not in ("architectures", "networks"):
        raise ValueError(f"distinct must be 'architectures' or 'networks', got {distinct!r}")
    if distinct == "architectures":
        return None
    canonicalize = getattr(space, "canonicalize", None)
    if not callable(canonicalize):
        raise ValueError(f"distinct='networks' needs a space with canonicalize(); "
                         f"{type(space).__name__} has none")  # fmt: skip
    return canonicalize


def _log(stack: contextlib.ExitStack, path: str | Path) -> JsonLinesLog:
    logger = JsonLinesLog(path)
    stack.callback(logger.close)
    return logger


def _searcher(name: Any) -> Searcher:
    if isinstance(name, Searcher):
        return name
    if not isinstance(name, str) or name not in SEARCHERS:
        raise ValueError(f"unknown searcher {name!r}; choose one of {sorted(SEARCHERS)}")
    return SEARCHERS[name]


def _check_options(spec: Searcher, options: dict[str, Any]) -> None:
    allowed = set(spec.option_names())
    if spec.accepts_any():
        if spec.name not in ("ednag", "surrogate"):
            return  # a user's searcher with **options validates them itself
        from ..strategy import DDIMConfig  # the built-ins pass them to the strategy

        allowed |= set(DDIMConfig.__dataclass_fields__) - {"maximize"}
        if spec.name == "surrogate":
            allowed |= {"device", "novelty", "novelty_tries"}  # of the inner EDNAG search
    unknown = sorted(set(options) - allowed)
    if unknown:
        raise TypeError(
            f"searcher {spec.name!r} has no option(s) {unknown}; its options: {sorted(allowed)}"
        )


def _check_run(spec: Searcher, max_queries: Any, target: Any, seed: Any, callback: Any):
    if max_queries is not None:
        if isinstance(max_queries, bool) or not isinstance(max_queries, int | np.integer):
            raise TypeError(f"max_queries must be an integer, got {max_queries!r}")
        if max_queries < 1:
            raise ValueError(f"max_queries must be >= 1, got {max_queries}")
        max_queries = int(max_queries)
    elif spec.needs_budget:
        raise ValueError(f"searcher {spec.name!r} needs a budget: give max_queries=")
    if target is not None:
        if isinstance(target, bool) or not isinstance(target, int | float | np.number):
            raise TypeError(f"target must be a real number, got {target!r}")
        if not math.isfinite(float(target)):
            raise ValueError(f"target must be finite, got {target}")
        target = float(target)
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    if not 0 <= seed < 2**32:  # searchers derive further seeds from it
        raise ValueError(f"seed must be in [0, 2**32), got {seed}")
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable, got {type(callback).__name__}")
    return max_queries, target, int(seed)


def _cache(fitness: Any, maximize: bool | None) -> tuple[CachedFitness, bool]:
    """The cache every query goes through, and the direction (one rule for all)."""
    if isinstance(fitness, list | tuple):  # several objectives (search.multiobjective)
        fitness, maximize = MultiFitness(fitness, maximize=maximize), None
    declared = isinstance(fitness, FitnessSource) or hasattr(fitness, "maximize")
    if not declared and maximize is None:
        raise ValueError(
            "a plain fitness function has no direction: pass maximize=True (accuracies) "
            "or maximize=False (losses, latencies)"
        )
    if maximize is not None and not isinstance(maximize, bool | np.bool_):
        raise TypeError(f"maximize must be True or False, got {maximize!r}")
    if isinstance(fitness, CachedFitness):
        cache = fitness
    else:
        cache = CachedFitness(fitness, maximize=None if declared else maximize)
    if maximize is not None and bool(maximize) != cache.maximize:
        raise ValueError(
            f"fitness {cache.name!r} declares maximize={cache.maximize}, "
            f"but maximize={maximize} was given"
        )
    return cache, cache.maximize


def _metadata(spec, space, cache, options, seed, max_queries, target, maximize) -> dict:
    from .. import __version__

    opts = {k: (v if isinstance(v, bool | int | float | str | type(None)) else repr(v))
            for k, v in sorted(options.items())}  # fmt: skip
    return {
        "searcher": spec.name,
        "options": opts,
        "seed": seed,
        "max_queries": max_queries,
        "target": target,
        "maximize": maximize,
        "space": space.name,
        "fitness": cache.name,
        "version": __version__,
    }


@contextlib.contextmanager
def _torch_threads(n: int | None) -> Iterator[None]:
    """Use ``n`` torch threads inside the block (unless OMP_NUM_THREADS is set)."""
    if n is None or "OMP_NUM_THREADS" in os.environ:
        yield
        return
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"threads must be a positive integer or None, got {n!r}")
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)
