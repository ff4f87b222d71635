"""Noise schedules: cumulative signal levels alpha_t as pure functions.

A schedule is a 1-D tensor ``alphas`` of length ``num_steps`` indexed by the timestep
``t = 0 .. num_steps - 1``: ``alphas[num_steps - 1]`` is the noisiest level (the first
population, x_T) and ``alphas[0]`` the cleanest (the last population, x_0). A run makes
exactly ``num_steps - 1`` denoising transitions ``t -> t - 1`` for
``t = num_steps - 1, ..., 1``.
"""

from __future__ import annotations

import math

import torch

__all__ = ["cosine_schedule", "linear_schedule", "get_schedule", "SCHEDULES"]

EPS = 1e-4


def cosine_schedule(num_steps: int, eps: float = EPS) -> torch.Tensor:
    """Cosine schedule of the reference code: ``alpha_t = (cos(pi * t / (T - 1)) + 1) / 2``.

    Clipped to ``[eps, 1 - eps]``; float64.
    """
    _check_steps(num_steps)
    s = torch.linspace(0.0, 1.0, num_steps, dtype=torch.float64)
    return ((torch.cos(math.pi * s) + 1.0) / 2.0).clamp(eps, 1.0 - eps)


def linear_schedule(num_steps: int, eps: float = EPS) -> torch.Tensor:
    """Linear DDIM schedule stated in the paper: alpha from ``1 - eps`` (t=0) to ``eps``."""
    _check_steps(num_steps)
    return torch.linspace(1.0 - eps, eps, num_steps, dtype=torch.float64)


SCHEDULES = {"cosine": cosine_schedule, "linear": linear_schedule}


def get_schedule(schedule: str | torch.Tensor, num_steps: int) -> torch.Tensor:
    """Resolve a schedule name or validate a user tensor of alphas.

    Args:
        schedule: ``"cosine"``, ``"linear"``, or a 1-D tensor of ``num_steps`` values in
            ``(0, 1)``, non-increasing in signal from t=0 (clean) to t=T-1 (noisy).
        num_steps: number of generations T (>= 2).

    Returns:
        float64 tensor of shape ``(num_steps,)``.
    """
    if isinstance(schedule, str):
        if schedule not in SCHEDULES:
            raise ValueError(f"unknown schedule {schedule!r}; choose one of {sorted(SCHEDULES)}")
        return SCHEDULES[schedule](num_steps)
    alphas = torch.as_tensor(schedule, dtype=torch.float64).detach().clone()
    if alphas.ndim != 1 or alphas.numel() != num_steps:
        raise ValueError(
            f"schedule tensor must have shape ({num_steps},), got {tuple(alphas.shape)}"
        )
    if not torch.isfinite(alphas).all() or (alphas <= 0).any() or (alphas >= 1).any():
        raise ValueError("schedule alphas must be finite and strictly inside (0, 1)")
    if (alphas[1:] > alphas[:-1]).any():
        raise ValueError("schedule alphas must be non-increasing from t=0 (clean) to t=T-1")
    return alphas


def _check_steps(num_steps: int) -> None:
    if not isinstance(num_steps, int) or num_steps < 2:
        raise ValueError(f"num_steps must be an integer >= 2, got {num_steps!r}")
