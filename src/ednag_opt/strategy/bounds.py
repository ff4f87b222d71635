"""Mapping between the strategy's latent space and a bounded problem space.

The latent box ``[-1, 1]^D`` maps affinely onto ``[lower, upper]``:
``x = lower + (u + 1) / 2 * (upper - lower)`` with ``u = fold(z)``. Latent points outside
the box are folded back, by reflection (``"reflect"``, the default: the boundary is not a
sink, points spread evenly near it) or by clipping (``"clip"``: outside points land on the
boundary, good when optima sit on it). Latent populations start as N(0, I), so about a
third of the first population lies outside the box and is folded in. The strategy stores
the folded latent after each ``tell``, so one problem-space point never has several
latent copies (which would skew x0 averages and diversity distances).
"""

from __future__ import annotations

import torch

__all__ = ["BOUND_MODES", "box_point", "fold", "to_problem", "to_latent", "as_bounds"]

BOUND_MODES = ("reflect", "clip")


def fold(z: torch.Tensor, mode: str = "reflect") -> torch.Tensor:
    """Fold latent values into [-1, 1] by reflection (a triangle wave) or clipping."""
    if mode == "clip":
        return z.clamp(-1.0, 1.0)
    if mode == "reflect":  # two temporaries (the values of the plain formula)
        r = z + 1.0
        # r - 4 floor(r / 4) is remainder(r, 4) but for the sign of a zero (which the
        # next lines map to -1 either way): r / 4, the floor and 4 k are exact, and the
        # difference is exact or, for r < 0, the same single rounding as fmod's + 4
        s = torch.div(r, 4.0).floor_().mul_(4.0)
        r.sub_(s)
        torch.sub(4.0, r, out=s)
        # min(r, 4 - r) is `4 - r if r > 2 else r` bit for bit: for r >= 2, 4 - r is exact
        # (Sterbenz); for r < 2 it rounds to a value >= 2 > r. A non-finite z gives NaN
        # either way (only the unspecified sign of that NaN may differ).
        torch.minimum(r, s, out=r).sub_(1.0)
        torch.abs(z, out=s)
        return torch.where(s <= 1.0, z, r, out=r)  # exact inside the box
    raise ValueError(f"unknown bounds mode {mode!r}; choose one of {BOUND_MODES}")


def to_problem(
    z: torch.Tensor, lower: torch.Tensor, upper: torch.Tensor, mode: str = "reflect"
) -> torch.Tensor:
    """Latent -> problem space (broadcasting ``lower``/``upper`` over the population)."""
    return box_point(fold(z, mode), lower, upper)


def box_point(u: torch.Tensor, lower: torch.Tensor, upper: torch.Tensor) -> torch.Tensor:
    """Folded latent ``u`` in [-1, 1] -> problem space (``to_problem`` after ``fold``)."""
    # centre + u * half-width: (u + 1) would round to 1 for |u| < 6e-8 in float32 and snap
    # points onto the box centre
    return (lower + upper) * 0.5 + u * ((upper - lower) * 0.5)


def to_latent(x: torch.Tensor, lower: torch.Tensor, upper: torch.Tensor) -> torch.Tensor:
    """Problem space -> latent box [-1, 1] (inverse of ``to_problem`` inside the box)."""
    return (2.0 * (x - lower) / (upper - lower) - 1.0).clamp(-1.0, 1.0)


def as_bounds(
    bounds, shape: tuple[int, ...], device: torch.device, dtype: torch.dtype
) -> tuple[torch.Tensor, torch.Tensor]:
    """Validate ``(lower, upper)`` (scalars or arrays broadcastable to ``shape``)."""
    try:
        lower, upper = bounds
    except (TypeError, ValueError) as exc:
        raise ValueError("bounds must be a pair (lower, upper)") from exc
    try:
        lo = torch.as_tensor(lower, dtype=torch.float64)
        hi = torch.as_tensor(upper, dtype=torch.float64)
        lo = torch.broadcast_to(lo, shape).clone()
        hi = torch.broadcast_to(hi, shape).clone()
    except RuntimeError as exc:
        raise ValueError(f"bounds must broadcast to the solution shape {shape}") from exc
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bounds must be real numbers: {exc}") from None
    if not (torch.isfinite(lo).all() and torch.isfinite(hi).all()):
        raise ValueError("bounds must be finite")
    if (hi <= lo).any():
        raise ValueError("each upper bound must be greater than its lower bound")
    width, centre = (hi - lo).to(dtype), ((hi + lo) * 0.5).to(dtype)
    if not (torch.isfinite(width).all() and torch.isfinite(centre).all()):
        raise ValueError(
            f"bounds span {float((hi - lo).max()):.3g}, beyond the range of {dtype}: "
            "use dtype=torch.float64 or narrower bounds"
        )
    if ((width == 0) | (hi.to(dtype) <= lo.to(dtype))).any():
        raise ValueError(f"bounds are too close to tell apart in {dtype}: use torch.float64")
    return lo.to(device=device, dtype=dtype), hi.to(device=device, dtype=dtype)
