"""A moving, rescaling, reshaping frame for the diffusion (pure functions).

Without a frame, the diffusion runs in the latent space itself: its x0 estimate is a
weighted mean of the population, and its noise has a fixed unit scale, so the search can
neither leave the cloud it started in nor resolve an optimum finer than the schedule's
last noise level. With a frame, the latent point ``u`` of a member is written as

    u = mean + sigma * B z,      C = B Bᵀ,

and the diffusion (kernel x0 estimate, DDIM step) runs on the normalised ``z``. After
each generation the frame follows the ranked offspring: the mean moves to the weighted
mean of the better half and ``C`` learns the shape of their steps from rank-one and
rank-mu updates, with CMA-ES's learning rates; ``sigma`` follows a success rule (it grows
while more than a quarter of the offspring beat the parents' median, shrinks otherwise).
``"full"`` learns a full covariance (``C``'s eigendecomposition is refreshed lazily, every
``O(1 / (D c))`` generations), ``"diag"`` only its diagonal (linear cost in D, with the
larger learning rates of separable CMA-ES).

The frame lives in float64 whatever the population's dtype.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import torch

__all__ = ["ADAPT_MODES", "Frame", "frame_constants", "frame_scale", "from_frame", "init_frame",
           "success_rate", "to_frame", "update_frame"]  # fmt: skip

_EPS = float(torch.finfo(torch.float64).eps)

ADAPT_MODES = ("none", "diag", "full")
#: success rule: target share of offspring beating the parents' median, smoothing, damping
TARGET, CP, DP = 0.25, 0.3, 1.0
#: largest ``c1 + c_mu`` a ``rate`` multiplier may reach (the old shape keeps 10% weight)
RATE_CAP = 0.9


@dataclass
class Frame:
    """State of the frame ``u = mean + sigma * B z`` (all float64, flattened to D).

    Attributes:
        mean: (D,) location.
        sigma: overall scale.
        cov: (D, D) covariance ``C`` (``"full"``) or its (D,) diagonal (``"diag"``).
        basis: ``B`` with ``C = B Bᵀ`` ((D, D), or the (D,) square roots for ``"diag"``).
        inv_basis: ``B⁻¹`` (same layout as ``basis``).
        success: smoothed success rate minus its target (drives ``sigma``).
        path_c: (D,) evolution path for the rank-one update.
        updates: frame updates done; ``eigen_at``: the update of the last decomposition.
    """

    mean: torch.Tensor
    sigma: float
    cov: torch.Tensor
    basis: torch.Tensor
    inv_basis: torch.Tensor
    path_c: torch.Tensor
    success: float = 0.0
    updates: int = 0
    eigen_at: int = 0
    constants: dict[str, float] = field(default_factory=dict)


def frame_constants(dim: int, n: int, mode: str, rate: float = 1.0) -> dict[str, float]:
    """CMA-ES's default learning rates for ``n`` ranked offspring in ``dim`` dimensions.

    The recombination uses the best ``n // 2`` with log-rank weights; ``"diag"`` scales the
    covariance learning rates by ``(dim + 2) / 3`` as separable CMA-ES does. ``rate``
    multiplies the covariance learning rates ``c1`` and ``c_mu`` (their sum capped at
    ``RATE_CAP``); 1 keeps CMA-ES's values exactly.
    """
    mu = max(1, n // 2)
    w = torch.log(torch.tensor((n + 1) / 2.0)) - torch.log(torch.arange(1, mu + 1.0))
    w = w / w.sum()
    mueff = float(1.0 / (w * w).sum())
    d = float(dim)
    cc = (4.0 + mueff / d) / (d + 4.0 + 2.0 * mueff / d)
    c1 = 2.0 / ((d + 1.3) ** 2 + mueff)
    cmu = min(1.0 - c1, 2.0 * (mueff - 2.0 + 1.0 / mueff) / ((d + 2.0) ** 2 + mueff))
    if mode == "diag":
        c1, cmu = min(1.0, c1 * (d + 2.0) / 3.0), min(1.0, cmu * (d + 2.0) / 3.0)
        if c1 + cmu > 1.0:
            c1, cmu = c1 / (c1 + cmu), cmu / (c1 + cmu)
    if rate != 1.0:
        c1, cmu = c1 * rate, cmu * rate
        if c1 + cmu > RATE_CAP:
            c1, cmu = c1 * RATE_CAP / (c1 + cmu), cmu * RATE_CAP / (c1 + cmu)
    eigen_every = max(1, int(1.0 / (10.0 * d * (c1 + cmu))))
    return {"mu": mu, "mueff": mueff, "cc": cc, "c1": c1, "cmu": cmu,
            "eigen_every": eigen_every, "target": TARGET, "cp": CP, "dp": DP}  # fmt: skip


def init_frame(
    dim: int, n: int, mode: str, sigma: float, mean: torch.Tensor | None = None,
    rate: float = 1.0,
) -> Frame:
    """The identity frame scaled by ``sigma`` (``mean`` defaults to the origin); ``rate``
    multiplies the covariance learning rates (see :func:`frame_constants`)."""
    if mode not in ("diag", "full"):
        raise ValueError(f"frame mode must be 'diag' or 'full', got {mode!r}")
    f64 = torch.float64
    m = torch.zeros(dim, dtype=f64) if mean is None else mean.reshape(-1).to(f64).cpu().clone()
    eye = torch.ones(dim, dtype=f64) if mode == "diag" else torch.eye(dim, dtype=f64)
    return Frame(m, float(sigma), eye.clone(), eye.clone(), eye.clone(),
                 torch.zeros(dim, dtype=f64),
                 constants=frame_constants(dim, n, mode, rate))  # fmt: skip


def _apply_(mat: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """``v @ matᵀ`` for row vectors ``v`` (N, D); ``mat`` a (D, D) matrix or a (D,) diagonal
    (then in place: ``v`` must be a temporary of the caller)."""
    return v.mul_(mat) if mat.ndim == 1 else v @ mat.T


def to_frame(frame: Frame, u: torch.Tensor) -> torch.Tensor:
    """Latent points (N, ...) -> normalised ``z = B⁻¹ (u - mean) / sigma`` (float64, (N, D))."""
    flat = u.reshape(u.shape[0], -1).to(device="cpu", dtype=torch.float64)
    return _apply_(frame.inv_basis, (flat - frame.mean).div_(frame.sigma))


def from_frame(frame: Frame, z: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """Normalised ``z`` (N, D) -> latent ``mean + sigma B z``, shaped and typed as ``like``.

    In place on one float64 temporary (``sigma * v + mean`` as ``v * sigma + mean``: the
    same IEEE results as the out-of-place expression).
    """
    z64 = z.to(torch.float64, copy=True)
    u = _apply_(frame.basis, z64).mul_(frame.sigma).add_(frame.mean)
    return u.to(device=like.device, dtype=like.dtype).reshape(like.shape)


def update_frame(frame: Frame, u: torch.Tensor, scores: torch.Tensor, success: float) -> None:
    """Move, rescale and reshape ``frame`` (in place) from ranked offspring.

    The mean moves to the weighted mean of the best half of the offspring and ``C`` learns
    their steps (rank-one path and rank-mu update), as in CMA-ES; ``C`` is then scaled to a
    mean eigenvalue of 1, so that the overall scale lives in ``sigma`` alone. ``sigma``
    follows a smoothed success rule: it grows when more than ``target`` of the offspring beat
    the parents' median and shrinks otherwise. Unlike cumulative step-size adaptation this
    needs no assumption on how the offspring were drawn (the diffusion's offspring are not
    Gaussian in the frame).

    Args:
        frame: the frame the offspring were sampled in.
        u: the offspring's latent points (N, ...) as evaluated.
        scores: (N,) higher is better; non-finite scores rank last.
        success: share of the offspring better than the parents' median score, in [0, 1].
    """
    k = frame.constants
    mu, cc, c1, cmu = int(k["mu"]), k["cc"], k["c1"], k["cmu"]
    s = scores.detach().to(device="cpu", dtype=torch.float64)
    s = torch.where(torch.isfinite(s), s, torch.full_like(s, -torch.inf))
    order = torch.argsort(s, descending=True, stable=True)[:mu]
    n = u.shape[0]
    w = math.log((n + 1) / 2.0) - torch.log(torch.arange(1, mu + 1, dtype=torch.float64))
    w = w / w.sum()
    y = (u.reshape(n, -1).to(device="cpu", dtype=torch.float64)[order] - frame.mean) / frame.sigma
    y_w = w @ y
    frame.mean = frame.mean + frame.sigma * y_w
    frame.updates += 1
    frame.path_c = (1 - cc) * frame.path_c + math.sqrt(cc * (2 - cc) * k["mueff"]) * y_w
    pc = frame.path_c
    if frame.cov.ndim == 1:
        cov = (1 - c1 - cmu) * frame.cov + c1 * pc * pc + cmu * (w @ (y * y))
        norm = float(cov.mean())
    else:
        rank_mu = (y * w[:, None]).T @ y
        cov = (1 - c1 - cmu) * frame.cov + c1 * torch.outer(pc, pc) + cmu * rank_mu
        norm = float(cov.diagonal().mean())
    if math.isfinite(norm) and norm > 0.0 and bool(torch.isfinite(cov).all()):
        frame.cov = cov / norm  # else (steps lost below float resolution): keep the shape
    frame.success = (1 - k["cp"]) * frame.success + k["cp"] * (success - k["target"])
    frame.sigma = max(frame.sigma * math.exp(frame.success / k["dp"]), _sigma_floor(frame))
    if frame.cov.ndim == 1 or frame.updates - frame.eigen_at >= k["eigen_every"]:
        _decompose(frame)


def _sigma_floor(frame: Frame) -> float:
    """Smallest useful ``sigma``: steps below the float64 resolution of the mean vanish
    (``mean + step == mean``), so shrinking further only breeds 0/0 in the updates."""
    return 4.0 * _EPS * float(frame.mean.abs().max()) + 1e-300


def _decompose(frame: Frame) -> None:
    """Refresh ``B`` and ``B⁻¹`` from ``C`` (symmetric square root; eigenvalues floored)."""
    frame.eigen_at = frame.updates
    if frame.cov.ndim == 1:
        frame.cov = frame.cov.clamp_min(1e-300)
        frame.basis = frame.cov.sqrt()
        frame.inv_basis = 1.0 / frame.basis
        return
    frame.cov = (frame.cov + frame.cov.T) / 2.0
    vals, vecs = torch.linalg.eigh(frame.cov)
    vals = vals.clamp_min(float(vals.max()) * 1e-20 + 1e-300)
    root = vals.sqrt()
    frame.basis = (vecs * root) @ vecs.T
    frame.inv_basis = (vecs / root) @ vecs.T


def frame_scale(frame: Frame) -> float:
    """Largest standard deviation of the frame, ``sigma * sqrt(max eig C)`` (for restarts)."""
    top = frame.cov.max() if frame.cov.ndim == 1 else frame.cov.diagonal().max()
    return frame.sigma * math.sqrt(max(float(top), 0.0))


def success_rate(offspring: torch.Tensor, parents: torch.Tensor | None) -> float:
    """Share of offspring scores above the parents' median (0.5 without parents)."""
    if parents is None:
        return 0.5
    ranked = torch.where(torch.isfinite(parents), parents, torch.full_like(parents, -torch.inf))
    median = ranked.sort().values[(ranked.numel() - 1) // 2]
    return float((offspring > median).double().mean())
