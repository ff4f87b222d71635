"""Constraint handling: scores (higher is better) from objective scores and violations.

The strategy ranks members by *scores*; with constraints, the score of a member depends on
its objective score ``s`` and its violation ``cv`` (0 = feasible). Three rules, pure
functions of the population (``DDIMConfig.constraint_handling``):

``"feasibility"`` (Deb's rules, the default)
    every infeasible member scores below every feasible one; infeasible ones are ordered
    by violation. Bit-identical to the strategy's historical behaviour.

``"epsilon"`` (epsilon-constraint relaxation, after Takahama and Sakai)
    members with ``cv <= eps`` count as feasible (ordered by objective), the others below
    them by violation. ``eps`` is the ``epsilon_level``-quantile of the current non-zero
    violations, scaled by ``(1 - progress / epsilon_until) ** 2`` and 0 from
    ``progress = epsilon_until`` on (progress: the share of the diffusion done). It is a
    scale-free, stateless level: early in a diffusion the members just outside the
    feasible region keep their objective rank, so the density is pulled towards the
    active constraints where constrained optima lie; at the end only feasible members
    rank on their objective.

``"stochastic-ranking"`` (Runarsson and Yao, 2000)
    a stochastic bubble sort: adjacent members are compared by objective when both are
    feasible or with probability ``ranking_pf``, else by violation. Implemented as
    ``popsize`` vectorised odd-even transposition sweeps; scores are minus the final
    positions.
"""

from __future__ import annotations

import numpy as np
import torch

__all__ = [
    "CONSTRAINT_HANDLINGS",
    "constrained_scores",
    "epsilon_level",
    "feasibility_scores",
    "stochastic_ranking_scores",
]

CONSTRAINT_HANDLINGS = ("feasibility", "epsilon", "stochastic-ranking")


def feasibility_scores(s: torch.Tensor, cv: torch.Tensor, eps: float = 0.0) -> torch.Tensor:
    """Members with ``cv > eps`` below all others (finite ones ordered by violation).

    Args:
        s: (M,) objective scores, higher is better; ``-inf`` for non-finite objectives.
        cv: (M,) violations >= 0.
        eps: violations up to ``eps`` count as feasible.

    Returns:
        (M,) scores; members with a non-finite objective stay ``-inf``.
    """
    bad = cv > eps
    if not bad.any():
        return s
    ok = ~bad & torch.isfinite(s)
    floor = s[ok].min() if ok.any() else s.new_tensor(0.0)
    return torch.where(bad & torch.isfinite(s), floor - 1.0 - cv, s)


def epsilon_level(cv: torch.Tensor, progress: float, level: float, until: float) -> float:
    """The epsilon of ``"epsilon"`` handling (see the module docstring).

    Args:
        cv: (M,) violations of the members being ranked.
        progress: share of the diffusion done, in [0, 1].
        level: quantile of the non-zero violations at progress 0, in [0, 1].
        until: progress from which epsilon is 0, in (0, 1].

    Returns:
        epsilon >= 0.
    """
    if progress >= until or level <= 0.0:
        return 0.0
    pos = cv[cv > 0]
    if pos.numel() == 0:
        return 0.0
    q = float(torch.quantile(pos.to(torch.float64), level))
    return q * (1.0 - progress / until) ** 2


def stochastic_ranking_scores(
    s: torch.Tensor, cv: torch.Tensor, pf: float, generator: torch.Generator
) -> torch.Tensor:
    """Scores from a stochastic ranking (higher is better; ``M - 1`` for the first).

    Args:
        s: (M,) objective scores, higher is better (``-inf`` allowed).
        cv: (M,) violations >= 0.
        pf: probability of comparing by objective when one of a pair is infeasible.
        generator: CPU torch.Generator (the strategy's).

    Returns:
        (M,) float scores in the dtype of ``s``; non-finite objectives stay ``-inf``.
    """
    m = s.shape[0]
    sv = s.detach().cpu().numpy().astype(np.float64)
    cvv = cv.detach().cpu().numpy().astype(np.float64)
    order = np.arange(m)
    draws = torch.rand((m, m // 2 + 1), generator=generator, dtype=torch.float64).numpy()
    for sweep in range(m):
        a = np.arange(sweep % 2, m - 1, 2)  # left members of the compared pairs
        if a.size == 0:
            continue
        i, j = order[a], order[a + 1]
        both_ok = (cvv[i] == 0) & (cvv[j] == 0)
        by_f = both_ok | (draws[sweep, : a.size] < pf)
        swap = np.where(by_f, sv[j] > sv[i], cvv[j] < cvv[i])
        order[a[swap]], order[a[swap] + 1] = j[swap], i[swap]
    out = np.empty(m, dtype=np.float64)
    out[order] = np.arange(m - 1, -1, -1, dtype=np.float64)
    out[~np.isfinite(sv)] = -np.inf
    return torch.as_tensor(out, dtype=s.dtype, device=s.device)


def constrained_scores(
    s: torch.Tensor,
    cv: torch.Tensor,
    handling: str,
    progress: float,
    generator: torch.Generator,
    *,
    level: float = 0.5,
    until: float = 0.8,
    pf: float = 0.45,
) -> torch.Tensor:
    """Scores under one of ``CONSTRAINT_HANDLINGS`` (see the module docstring).

    Args:
        s: (M,) objective scores, higher is better, ``-inf`` for non-finite objectives.
        cv: (M,) violations >= 0.
        handling: ``"feasibility"``, ``"epsilon"`` or ``"stochastic-ranking"``.
        progress: share of the diffusion done, in [0, 1].
        generator: the strategy's generator (used by stochastic ranking only).
        level, until: epsilon quantile and end (``"epsilon"``).
        pf: objective-comparison probability (``"stochastic-ranking"``).

    Returns:
        (M,) scores, higher is better.

    Raises:
        ValueError: unknown ``handling``.
    """
    if handling == "feasibility":
        return feasibility_scores(s, cv)
    if handling == "epsilon":
        return feasibility_scores(s, cv, epsilon_level(cv, progress, level, until))
    if handling == "stochastic-ranking":
        return stochastic_ranking_scores(s, cv, pf, generator)
    raise ValueError(f"constraint_handling must be one of {CONSTRAINT_HANDLINGS}, got {handling!r}")
