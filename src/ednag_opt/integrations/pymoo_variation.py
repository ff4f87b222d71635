"""Recombination of the pymoo adapter's denoised samples (``integrations.pymoo``).

Two coordinate-wise recombinations of the points the diffusion asks for, in the unit box of
``VariableEncoding`` (the evaluated points are told back to the strategy with
``tell(solutions=...)``, so its density and frame follow what was evaluated):

``mixing``
    uniform crossover among the offspring: each coordinate of an offspring comes, with
    probability ``mixing``, from another random offspring of the same generation (a draw
    from the product of their marginals on those coordinates).
``crossover``
    binomial crossover with the parent, as DE's: each coordinate of offspring ``i`` is its
    denoised sample's with probability ``crossover`` (and at least one is), else that of
    member ``i`` of the current population, the point the sample was denoised from. Below
    1 the moves become partly coordinate-wise, which is what separable problems reward.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["MIXING_MIN_DIM", "check_rates", "preset_mixing", "recombine"]

#: with ``mixing=None`` and ``config=None``, constrained single-objective problems with
#: only real variables and fewer variables than this get no mixing (session 6): in two
#: dimensions a swapped coordinate is half the point (51% of the offspring at mixing 0.3),
#: which scatters the samples of a thin, correlated feasible region (g6 at 10,000
#: evaluations on seeds 100-119: 15 without mixing, 30 with it, DE 24)
MIXING_MIN_DIM = 3


def preset_mixing(problem: Any, encoding: Any, mixing: float) -> float:
    """The preset's mixing on ``problem``: 0 on constrained real problems with fewer than
    ``MIXING_MIN_DIM`` variables, else ``mixing``.

    Args:
        problem: the pymoo problem.
        encoding: its ``VariableEncoding``.
        mixing: the mixing otherwise used.

    Returns:
        The mixing to use.
    """
    real = problem.n_obj == 1 and not (encoding.mixed or encoding.discrete)
    if real and problem.has_constraints() and encoding.dim < MIXING_MIN_DIM:
        return 0.0
    return mixing


def check_rates(mixing: float | None, crossover: float | None) -> tuple[float, float]:
    """Validate the adapter's ``mixing`` and ``crossover``.

    Args:
        mixing: share in [0, 1], or None (0.3).
        crossover: share in (0, 1], or None (1: off).

    Returns:
        ``(mixing, crossover)`` as floats.

    Raises:
        ValueError: a share out of its range or not a number.
    """
    mixing = 0.3 if mixing is None else mixing
    if not isinstance(mixing, int | float) or not 0.0 <= mixing <= 1.0:
        raise ValueError(f"mixing must be in [0, 1], got {mixing!r}")
    crossover = 1.0 if crossover is None else crossover
    if not isinstance(crossover, int | float) or not 0.0 < crossover <= 1.0:
        raise ValueError(f"crossover must be in (0, 1], got {crossover!r}")
    return float(mixing), float(crossover)


def recombine(
    u: np.ndarray,
    parents: np.ndarray | None,
    mixing: float,
    crossover: float,
    rng: np.random.Generator,
) -> tuple[np.ndarray, bool]:
    """Apply ``mixing`` then ``crossover`` (see the module docstring) to the samples ``u``.

    Args:
        u: (N, D) denoised samples in the unit box.
        parents: (N, D) the population they were denoised from (row ``i``: the parent of
            sample ``i``), or None (no parent crossover, e.g. at the first generation).
        mixing: share of coordinates taken from another random offspring, in [0, 1].
        crossover: share of coordinates kept from the sample, in (0, 1]; 1 is off.
        rng: the adapter's recombination generator (no draw when both are off).

    Returns:
        The recombined samples and whether anything was recombined.

    Raises:
        ValueError: ``parents`` of another shape than ``u``.
    """
    changed = False
    if mixing > 0:
        partner = rng.integers(len(u), size=len(u))
        u = np.where(rng.random(u.shape) < mixing, u[partner], u)
        changed = True
    if crossover < 1.0 and parents is not None:
        if parents.shape != u.shape:
            raise ValueError(f"parents must have shape {u.shape}, got {parents.shape}")
        keep = rng.random(u.shape) >= crossover  # True: the parent's coordinate
        keep[np.arange(len(u)), rng.integers(u.shape[1], size=len(u))] = False
        u = np.where(keep, parents, u)
        changed = True
    return u, changed
