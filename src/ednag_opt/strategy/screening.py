"""The x0 kernel of large populations: a float32 screen, then float64 on what matters.

Late in a run the kernel ``N(x_j; sqrt(a) x_i, (1 - a) I)`` is so narrow that each
target's weight sits on one to three sources (at N = 256, D = 1,000 every row has at most
three sources within 60 log-units of its largest after the second step). The float64
GEMM that :mod:`.guidance` falls back on there (the float32 expansion of the square
cancels when ``1 - a`` is small) costs 2.5x the float32 one and computes N² weights of
which all but ~N are below ``e^-60``. Here:

1. one float32 GEMM gives approximate logits, with a rigorous bound on their rounding
   error (Higham's ``gamma_D = D u / (1 - D u)`` per dot product, times
   ``||x_j|| ||x_i||`` by Cauchy-Schwarz);
2. every source whose logit could be within ``SCREEN_MARGIN`` of its row's largest, given
   that bound, is a candidate, and its logit is recomputed in float64 from the exact
   products;
3. the weights are the softmax over the candidates and ``x0_hat`` their weighted sum.

What is dropped weighs less than ``N e^-80 < 1e-31`` of a row's total, below float32's
resolution of any weighted sum; the candidates' logits are exact to float64 rounding,
more exact than the dense path, whose squared norms are float32 sums. When the rows have
too many candidates (more than ``SCREEN_MAX_PER_ROW`` on average: an early, wide kernel)
the screen gives up and the caller runs the dense path, so a step costs at most one
float32 GEMM more.
"""

from __future__ import annotations

import math

import torch

__all__ = ["SCREEN_MARGIN", "SCREEN_MIN_WORK", "screen_useful", "screened_x0", "squared_norms"]

#: log-weights more than this below their row's largest are dropped (e^-80 ≈ 1.8e-35)
SCREEN_MARGIN = 80.0
#: screening is tried from this much GEMM work (rows x N x D multiply-adds) per call
SCREEN_MIN_WORK = 1 << 25
#: smallest dimension screened: below it the float64 fallback costs little next to the
#: rest of a generation, and low-dimensional (black-box) runs keep the dense path's bits
SCREEN_MIN_DIM = 64
#: mean candidates per row above which the dense path is cheaper
SCREEN_MAX_PER_ROW = 8


def screen_useful(n_rows: int, n: int, d: int, x: torch.Tensor) -> bool:
    """Whether a float32 CPU population is large enough for the screen to pay off."""
    return (x.dtype == torch.float32 and x.device.type == "cpu" and d >= SCREEN_MIN_DIM
            and n_rows * n * d >= SCREEN_MIN_WORK)  # fmt: skip


def _dot_error_bound(d: int) -> float:
    """Higham's ``gamma_d``: relative error bound of a float32 dot product of length d."""
    du = d * 2.0**-24
    return du / (1.0 - du) if du < 0.5 else math.inf


def _candidates(
    flat: torch.Tensor, sq: torch.Tensor, log_g: torch.Tensor, a: float, scale: float,
    rows: slice,
) -> tuple[torch.Tensor, torch.Tensor] | None:
    """(target, source) pairs, row-major, whose weight could exceed ``e^-SCREEN_MARGIN``
    of their row's largest; None when they are too many."""
    coef = 2.0 * a**0.5 / scale
    bias = log_g.double() - (a / scale) * sq
    finite = torch.isfinite(bias)
    # float32, the one O(N² D) operation: coef * x_j . x_i + bias_i in the GEMM's epilogue
    approx = torch.addmm(bias.to(flat.dtype), flat[rows], flat.T, alpha=coef)
    # |approx - exact| <= coef * gamma_D * ||x_j|| * max_i ||x_i|| (the products) plus the
    # float32 rounding of the scaled product, of the bias and of their sum (4 u of the
    # magnitudes); float64 rounding of bias and coef is absorbed by the margin
    u = torch.finfo(flat.dtype).eps / 2
    dot = (sq[rows] * sq.max()).sqrt()
    top = float(bias[finite].abs().max()) if bool(finite.any()) else 0.0
    err = coef * (_dot_error_bound(flat.shape[1]) + 4 * u) * dot + 4 * u * top
    if not bool(torch.isfinite(err).all()):
        return None
    # the threshold in float32 (rounded down), so the comparison allocates no float64 copy
    floor = approx.max(dim=1).values.double() - SCREEN_MARGIN - 2.0 * err
    floor = torch.nextafter(floor.to(flat.dtype), floor.new_tensor(-math.inf).to(flat.dtype))
    keep = approx >= floor.unsqueeze(1)
    if int(keep.sum()) > SCREEN_MAX_PER_ROW * keep.shape[0]:
        return None
    return keep.nonzero(as_tuple=True)


def screened_x0(
    flat: torch.Tensor, sq: torch.Tensor, log_g: torch.Tensor, a: float, scale: float,
    rows: slice,
) -> torch.Tensor | None:
    """``x0_hat`` of the targets ``rows`` of the float32 population ``flat`` (N, D), or
    None when the kernel is too wide for the screen (the caller then runs the dense path).

    A target is its own nearest source (``||x_j - sqrt(a) x_j||`` is small late in a
    run), and its own logit needs no product beyond ``sq``; only the few other
    candidates are gathered. CPU only: ``index_add_`` is deterministic there.

    Args:
        flat: population (N, D), float32 on the CPU; sources and targets.
        sq: (N,) float64 squared norms of ``flat``'s rows (:func:`squared_norms`).
        log_g: (N,) log-densities (``-inf`` for excluded members).
        a: signal level alpha_t; ``scale = 2 (1 - a)``.
        rows: the targets, a block of the population's rows.
    """
    found = _candidates(flat, sq, log_g, a, scale, rows)
    if found is None:
        return None
    jj, ii = found
    start = rows.start or 0
    own = ii == jj + start
    cross = sq[ii]  # x_j . x_i for j == i; exact float64 products for the others
    ko, io = jj[~own] + start, ii[~own]
    cross[~own] = (flat[ko].double() * flat[io].double()).sum(dim=1)
    logit = log_g.double()[ii] - (a * sq[ii] - 2.0 * a**0.5 * cross) / scale
    n_rows = flat[rows].shape[0]
    top = torch.full((n_rows,), -math.inf, dtype=torch.float64)
    top.scatter_reduce_(0, jj, logit, reduce="amax")
    w = (logit - top[jj]).exp_()
    w /= torch.zeros(n_rows, dtype=torch.float64).index_add_(0, jj, w)[jj]
    w = w.to(flat.dtype)
    self_w = torch.zeros(n_rows, dtype=flat.dtype).index_put_((jj[own],), w[own])
    out = flat[rows] * self_w.unsqueeze(1)
    return out.index_add_(0, jj[~own], flat[io] * w[~own].unsqueeze(1))


def squared_norms(flat: torch.Tensor) -> torch.Tensor:
    """Float64 squared norms of the rows of ``flat`` (exact products, float64 sums)."""
    return torch.linalg.vector_norm(flat, dim=1, dtype=torch.float64).square()
