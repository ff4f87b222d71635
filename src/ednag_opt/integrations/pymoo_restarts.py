"""The continuous preset's global phase: a frame-free diffusion before the adapted frame.

On the problems where ``EDNAG`` picks its continuous preset (unconstrained, single-objective,
only real variables, ``config=None``) under an ``("n_eval", E)`` termination, the run first
spends ``global_share * E`` evaluations on one diffusion with ``PYMOO_CONFIG`` (no frame,
population ``GLOBAL_POP``, roulette selection, the adapter's mixing: a uniform crossover
among the denoised samples, which moves coordinate-wise on separable problems such as
schwefel and rastrigin). Then the adapted frame (CMA-like, IPOP restarts on collapse) runs
over the remaining evaluations; its first population is the global phase's best members,
so the frame starts from the basin the global phase found. Tuned on seeds 100-104
(docs/results_pymoo.md); ``global_share=0`` is the frame alone (the former preset).
``global_pop`` sets another population (tried in session 6 on seeds 100-119: 50 or 100
find rastrigin's basin more often but lose precision on ackley; not adopted, see
docs/results_pymoo.md).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from pymoo.core.population import Population
from pymoo.termination.max_eval import MaximumFunctionCallTermination

if TYPE_CHECKING:
    from ednag_opt.integrations.pymoo import EDNAG

__all__ = [
    "GLOBAL_POP",
    "GLOBAL_SHARE",
    "check_pop",
    "check_share",
    "continuous_pop_size",
    "end_global_phase",
    "plan_global_phase",
    "restart_seed",
]

#: share of an ``("n_eval", E)`` budget spent in the global phase (``global_share=None``)
GLOBAL_SHARE = 0.7
#: population of the global phase with ``global_pop=None`` (``PYMOO_CONFIG``'s)
GLOBAL_POP = 30


def check_pop(pop: int | None) -> int | None:
    """Validate ``global_pop``.

    Args:
        pop: None (``GLOBAL_POP``) or an integer >= 2.

    Returns:
        ``pop`` unchanged.

    Raises:
        ValueError: anything else.
    """
    if pop is not None and (isinstance(pop, bool) or not isinstance(pop, int) or pop < 2):
        raise ValueError(f"global_pop must be an integer >= 2 or None, got {pop!r}")
    return pop


def check_share(share: float | None) -> float | None:
    """Validate ``global_share``.

    Args:
        share: None (the preset's ``GLOBAL_SHARE``) or a share in [0, 1).

    Returns:
        ``share`` as a float (None kept).

    Raises:
        ValueError: a share outside [0, 1) or not a number.
    """
    if share is None:
        return None
    if isinstance(share, bool) or not isinstance(share, int | float) or not 0 <= share < 1:
        raise ValueError(f"global_share must be in [0, 1) or None, got {share!r}")
    return float(share)


def plan_global_phase(alg: EDNAG) -> None:
    """In ``_setup``, after the preset is chosen: start with the global phase when it applies.

    It applies when the continuous preset was chosen (``config=None``, frame config), the
    termination is a finite ``("n_eval", E)`` and the share is positive. Sets
    ``alg._frame_phase`` to the frame's ``(config, pop_size)`` to switch to, or None.

    Args:
        alg: the adapter being set up.
    """
    from ednag_opt.integrations.pymoo import PYMOO_CONFIG

    alg._frame_phase = None
    share = GLOBAL_SHARE if alg.global_share is None else alg.global_share
    term = alg.termination
    if (share <= 0 or not alg._preset[0] or alg.config.adapt == "none"
            or not isinstance(term, MaximumFunctionCallTermination)
            or not math.isfinite(term.n_max_evals)):  # fmt: skip
        return
    alg._frame_phase = alg.config, alg.pop_size
    alg.config = PYMOO_CONFIG.replace(**alg._changes) if alg._changes else PYMOO_CONFIG
    n = GLOBAL_POP if alg.global_pop is None else alg.global_pop
    alg.pop_size = alg._run_pop = n
    if alg.n_steps is None:
        alg.steps = max(2, math.ceil(share * term.n_max_evals / n))


def end_global_phase(alg: EDNAG) -> Population | None:
    """In ``_infill``: when the global phase's diffusion is done, start the frame.

    Args:
        alg: the adapter.

    Returns:
        The frame's first population to evaluate (the global phase's best members, the
        best so far kept with its evaluation), or None while the global phase runs or
        after it.
    """
    if alg._frame_phase is None or not alg.strategy.done:
        return None
    alg.config, alg.pop_size = alg._frame_phase
    alg._frame_phase, alg._run_pop = None, alg.pop_size
    alg.restarts += 1
    if alg.n_steps is None:
        alg.steps = alg._fit_steps(used=alg.evaluator.n_eval)
    start = None
    if alg.pop is not None and len(alg.pop):
        order = np.argsort(alg.pop.get("F")[:, 0], kind="stable")[: alg.pop_size]
        start = np.stack(alg.pop[order].get("u"))
    alg.strategy = alg._new_strategy(alg.restarts)
    return alg._ask(warm=alg.warm_start, start=start)


def continuous_pop_size(dim: int) -> int:
    """Population of the continuous preset: twice CMA-ES's default ``4 + floor(3 ln D)``
    (the first IPOP doubling; tuned on seeds 100-102, docs/results_pymoo.md)."""
    return 2 * (4 + int(3 * math.log(max(int(dim), 1))))


def restart_seed(seed: int, restart: int) -> int:
    """Seed of the strategy of diffusion number ``restart`` (0: the run's own seed)."""
    if restart == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), int(restart)]).generate_state(1)[0] >> 1)
