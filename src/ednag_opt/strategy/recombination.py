"""The ``step="recombine"`` transition: a drawn x0 and noise at the population's scale.

The paper's DDIM transition (``strategy.ddim``) moves each member towards the kernel-
weighted *mean* of the population (``guidance.estimate_x0``) and adds noise whose scale
the schedule fixes in advance. On continuous multi-objective problems in tens of
dimensions both hold the search back: the mean of members spread along a Pareto front
lies off the front, and a prescribed noise scale cannot follow the population's distance
to the Pareto set, so the population approaches it at a rate set by the schedule (on ZDT1
with 30 variables, ``g`` falls by about 0.04 per generation and is still near 1.6 after
10,000 evaluations).

This transition keeps the kernel posterior of the x0 estimate,
``w[j, i] ∝ g(f_i) N(x_j; sqrt(alpha_t) x_i, (1 - alpha_t) I)``, but *draws* from it
instead of averaging: each coordinate of target ``j`` is, with probability ``rate``, the
coordinate of a source ``i ~ w[j, :]`` drawn for that coordinate, else ``x_j``'s own. The
offspring is that point plus Gaussian noise with, in every coordinate, ``scale`` times the
population's standard deviation there. The draw recombines good coordinates of
neighbouring members (mating stays local while ``alpha_t`` is large), and the noise shrinks
in the directions where the selected population has converged (towards the Pareto set)
while it stays wide along the front, which Pareto selection keeps spread.

With several objectives the draw is also restricted along the front (``niche > 0``;
mating restriction, as in MOEA/D's neighbourhoods): ``w[j, i]`` is further multiplied by
``exp(-|F_j - F_i|² / (2 h_t²))``, with the objective vectors scaled to [0, 1] by the
population's range and ``h_t = niche / (1 - alpha_t)``. Early in the schedule
(``alpha_t`` near 0) the decision-space kernel is flat, so without this kernel every
coordinate may come from anywhere on the front: the draw pairs one member's position on
the front with another's distance to it. On ZDT2, whose trade-off is weak far from the
front, the resulting "corner" offspring (``x1`` near 0 and a small ``g``) dominate the
rest, and in most runs the population collapses onto the front's end ``x1 = 0`` within
~15 generations; noise at the population's scale can never reopen a collapsed
coordinate (#16). The objective kernel widens as the decision-space kernel narrows, and
by the end of the schedule it no longer restricts. That collapse needs reflecting bounds:
with the box's boundary clipped (``bounds_mode="clip"``, the preset since session 10)
``g`` reaches 1 within a few thousand evaluations, the trade-off is strong again, and the
front stays open without the kernel, so the preset no longer sets it.
"""

from __future__ import annotations

import torch

from .guidance import kernel_log_weights

__all__ = ["NICHE_WIDENING", "recombine_step"]

#: the mating kernel's width in objective space is ``niche / (1 - alpha_t) ** NICHE_WIDENING``
NICHE_WIDENING = 1.0


def recombine_step(
    x: torch.Tensor,
    log_g: torch.Tensor,
    alpha: float,
    rate: float,
    scale: float,
    noise: torch.Tensor,
    generator: torch.Generator,
    objectives: torch.Tensor | None = None,
    niche: float = 0.0,
    sparse_noise: bool = False,
) -> torch.Tensor:
    """Offspring of population ``x`` by a coordinate-wise draw from the kernel posterior.

    Args:
        x: population (N, ...), at least two members.
        log_g: (N,) log-densities of the members (``-inf``: never drawn).
        alpha: signal level alpha_t of the kernel (as in ``estimate_x0``).
        rate: probability in [0, 1] that a coordinate is drawn from the posterior.
        scale: noise in units of the population's per-coordinate standard deviation.
        noise: standard normal tensor shaped like ``x``.
        generator: source of the draws.
        objectives: (N, M) objective vectors of the members, for ``niche``.
        niche: width of the mating kernel in scaled objective space (0: none).
        sparse_noise: noise only on the drawn coordinates (the others keep ``x_j``'s own
            value exactly); False: on every coordinate.

    Returns:
        The offspring, shaped and typed like ``x``.
    """
    n = x.shape[0]
    flat = x.reshape(n, -1)
    d = flat.shape[1]
    log_w = kernel_log_weights(x, log_g, alpha)
    if niche > 0.0 and objectives is not None:
        width = niche / (1.0 - alpha) ** NICHE_WIDENING
        log_w = torch.log_softmax(log_w - _objective_sq_dist(objectives) / (2 * width**2), 1)
    w = log_w.exp()
    src = torch.multinomial(w.cpu(), d, replacement=True, generator=generator).to(x.device)
    drawn = torch.gather(flat, 0, src)
    pick = torch.rand(n, d, generator=generator, dtype=torch.float64).to(x.device) < rate
    x0 = torch.where(pick, drawn, flat)
    spread = flat.std(dim=0, keepdim=True)
    z = noise.reshape(n, d).to(flat.dtype)
    if sparse_noise:
        z = torch.where(pick, z, torch.zeros_like(z))
    return (x0 + scale * spread * z).reshape(x.shape)


def _objective_sq_dist(F: torch.Tensor) -> torch.Tensor:
    """(N, N) squared distances of the objective vectors scaled to [0, 1] by their range
    over the finite rows; a row with a non-finite value is at distance 0 from all."""
    F = F.reshape(F.shape[0], -1).to(torch.float64)
    ok = torch.isfinite(F).all(dim=1)
    if not ok.any():
        return torch.zeros(F.shape[0], F.shape[0], dtype=torch.float64, device=F.device)
    lo, hi = F[ok].min(dim=0).values, F[ok].max(dim=0).values
    Fn = torch.where(ok[:, None], (F - lo) / (hi - lo).clamp_min(1e-300), 0.0)
    d2 = torch.cdist(Fn, Fn).square()
    return d2 * (ok[:, None] & ok[None, :])
