"""The DDIM update as a pure function."""

from __future__ import annotations

import math

import torch

__all__ = ["ddim_sigma", "ddim_step"]


def ddim_sigma(alpha_t: float, alpha_prev: float, eta: float) -> float:
    """Noise level sigma_t of a DDIM transition ``t -> t-1`` scaled by ``eta``.

    ``sigma_t = eta * sqrt((1 - a_prev) / (1 - a_t)) * sqrt(1 - a_t / a_prev)``; ``eta = 1``
    is DDPM's posterior noise, ``eta = 0`` deterministic DDIM. Capped so that the
    direction term ``1 - a_prev - sigma_t**2`` stays non-negative.
    """
    if alpha_prev <= alpha_t:
        return 0.0
    s = eta * math.sqrt((1.0 - alpha_prev) / (1.0 - alpha_t) * (1.0 - alpha_t / alpha_prev))
    return min(s, math.sqrt(max(1.0 - alpha_prev, 0.0)))


def ddim_step(
    x_t: torch.Tensor,
    x0_hat: torch.Tensor,
    alpha_t: float,
    alpha_prev: float,
    eta: float,
    noise: torch.Tensor,
) -> torch.Tensor:
    """One DDIM transition.

    ``x_{t-1} = sqrt(a_prev) x0 + sqrt(1 - a_prev - s^2) eps + s z`` with the implied noise
    ``eps = (x_t - sqrt(a_t) x0) / sqrt(1 - a_t)``.

    Args:
        x_t: current population (N, ...).
        x0_hat: estimated clean points (N, ...), same shape.
        alpha_t, alpha_prev: signal levels at t and t-1.
        eta: noise scale (the paper's sigma, 0.8).
        noise: standard normal tensor z of the same shape.
    """
    sigma = ddim_sigma(alpha_t, alpha_prev, eta)
    direction = math.sqrt(max(1.0 - alpha_prev - sigma**2, 0.0))
    # expand eps = (x_t - sqrt(a_t) x0) / sqrt(1 - a_t) into fused multiply-adds
    c_eps = direction / math.sqrt(1.0 - alpha_t)
    out = x0_hat * (math.sqrt(alpha_prev) - c_eps * math.sqrt(alpha_t))
    out.add_(x_t, alpha=c_eps).add_(noise, alpha=sigma)
    return out
