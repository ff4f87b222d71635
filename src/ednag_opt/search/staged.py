"""Constraint mode ``"staged"``: the first diffusion run in constraint mode, then the
penalised scalar (``search("ednag", ..., constraints="staged")``).

A penalised constrained source (``constraint_parts()``, e.g. ``LatencyConstrained``) can be
searched two ways. Constraint mode (``"split"``, the ``"ednag-mo"`` searcher) ranks the
objective and the cost by Pareto dominance under the limit; it finds good feasible
architectures fast, but keeps its population spread along the whole feasible front, most
of which is far from the best feasible value. The penalised scalar (``"penalty"``, the
``"ednag"`` searcher) concentrates on that value, and starts slowly. ``"staged"`` runs the
first run of constraint mode (``N * T`` queries with its budget-aware schedule: 1,000 of a
10,000-query budget), then spends the rest on the penalised scalar, whose runs start from
the best architectures queried so far (``warm_restarts``) and whose model is fitted on every
query. A budget within one constraint-mode run is searched by constraint mode alone.
``"staged"`` is the default since session 19 (docs/results_search.md, "Session 19").
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import torch

from ..spaces import SearchSpace
from .ednag import EDNAGPreset, budget_steps, resolve_preset, run_ednag
from .ednag_mo import run_ednag_mo
from .tracker import Tracker

__all__ = ["first_stage", "run_staged"]

_MO_POPSIZE = 20  # the multi-objective searcher's default N


def first_stage(
    max_queries: int | None,
    preset: str | EDNAGPreset = "default",
    popsize: int | None = None,
    num_steps: int | None = None,
) -> int | None:
    """Queries of the constraint-mode stage: one run of ``"ednag-mo"`` (N = ``popsize``,
    20 by default) with the preset's schedule (``None``: the whole budget, searched by
    constraint mode alone)."""
    if max_queries is None:
        return None
    n = _MO_POPSIZE if popsize is None else popsize
    cfg = resolve_preset(preset, None, n, num_steps)
    steps = budget_steps(cfg.strategy.num_steps, n, max_queries, cfg.runs)
    first = n * steps
    return None if first >= max_queries else first


def run_staged(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    preset: str | EDNAGPreset = "default",
    popsize: int | None = None,
    num_steps: int | None = None,
    device: str | torch.device | None = None,
) -> dict[str, Any]:
    """Constraint mode for one run, the penalised scalar for the rest of the budget.

    Args:
        space: the search space.
        tracker: counts queries; its fitness is a penalised constrained source
            (``constraint_parts()``), whose scalar the second stage searches.
        seed: seeds both stages (the second with ``seed + 1``).
        preset: both stages' preset (a key of ``PRESETS`` or an ``EDNAGPreset``), e.g.
            ``"repair-only"`` for the diffusion-off ablation of both.
        popsize, num_steps: N and T of both stages (default: N = 20 for the
            constraint-mode run and the preset's 10 for the scalar, T from the
            budget-aware schedule; an explicit ``num_steps`` fixes T, as in both searchers).
        device: where the populations live.

    Raises:
        ValueError: a preset the second stage's warm restarts cannot take (``"archive"``),
            before any query.

    Returns:
        Extras: the second stage's final ``population`` and ``population_fitness``,
        ``runs`` of both stages, and ``first_stage`` (the queries of the first).
    """
    sizes = {"popsize": popsize, "num_steps": num_steps}
    resolve_preset(preset, None, popsize, num_steps, warm_restarts=True)  # early, both stages
    first = first_stage(tracker.max_queries, preset, popsize, num_steps)
    held = 0 if first is None else tracker.max_queries - first
    with tracker.holding_back(held) if held else nullcontext():
        extras = run_ednag_mo(space, tracker, seed=seed, preset=preset, device=device,
                              **{**sizes, "popsize": popsize or _MO_POPSIZE})  # fmt: skip
    runs = extras["runs"]
    if held and not tracker.done:
        extras = run_ednag(space, tracker, seed=seed + 1, preset=preset, warm_restarts=True,
                           device=device, **sizes)  # fmt: skip
        runs += extras["runs"]
    return {**extras, "runs": runs, "first_stage": first or tracker.unique_queries}
