"""Pareto dominance for vector fitness (pure functions).

Every function takes objective values ``F`` of shape (N, M) as *scores*: higher is better
in every column (negate a minimised objective first). A row with any non-finite value
(NaN, +-inf) is the worst possible member: it dominates nothing, is on no front, and its
scalar score is ``-inf``.

- :func:`non_dominated_rank`: the front index of each row (0 = non-dominated), by
  peeling fronts off the dominance matrix;
- :func:`crowding_distance` (NSGA-II) and :func:`hypervolume_contribution` (exclusive
  area, two objectives): how isolated a member is within its front;
- :func:`pareto_scores`: one higher-is-better scalar per row, ``-rank + d / (1 + d)`` with
  ``d`` the density term, so that sorting by it is NSGA-II's survival order; the strategy
  turns these scores into its x0 density and selects survivors by them;
- :func:`pareto_select`: the ``k`` best rows in that order;
- :func:`pareto_mask`: the non-dominated rows of a large set (chunked, for whole tables).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from .validation import real_tensor

__all__ = [
    "DENSITIES",
    "as_objectives",
    "crowding_distance",
    "dominance_matrix",
    "hypervolume_contribution",
    "non_dominated_rank",
    "pareto_mask",
    "pareto_scores",
    "pareto_select",
]

#: Density terms of :func:`pareto_scores`.
DENSITIES = ("crowding", "hypervolume")

_BOUNDARY = 1e12  # an infinite density term (a front's extreme point), kept finite


def as_objectives(
    values: Any, n: int, m: int, device: torch.device | str | None = None, what: str = "fitness"
) -> torch.Tensor:
    """``n`` rows of ``m`` real objective values as a float64 tensor of shape (n, m).

    Raises:
        TypeError: non-numeric, complex or boolean values.
        ValueError: any other shape than (n, m).
    """
    f = real_tensor(values, what)
    if f.ndim != 2 or tuple(f.shape) != (n, m):
        raise ValueError(
            f"{what} must have shape ({n}, {m}) for popsize={n} and objectives={m}, "
            f"got {tuple(f.shape)}"
        )
    return f.to(device=device or f.device, dtype=torch.float64)


def _check(F: torch.Tensor) -> torch.Tensor:
    if not isinstance(F, torch.Tensor) or F.ndim != 2:
        raise ValueError(f"objective values must be a 2-D tensor (N, M), got {_shape(F)}")
    return F


def _shape(F: Any) -> str:
    return str(tuple(F.shape)) if hasattr(F, "shape") else type(F).__name__


def dominance_matrix(F: torch.Tensor) -> torch.Tensor:
    """``D[i, j]``: row ``i`` dominates row ``j`` (>= in every column, > in one).

    Rows with a non-finite value dominate nothing and are dominated by every finite row.
    """
    F = _check(F)
    ok = torch.isfinite(F).all(dim=1)
    G = torch.where(ok.unsqueeze(1), F, torch.zeros_like(F))
    ge = (G.unsqueeze(1) >= G.unsqueeze(0)).all(dim=2)
    gt = (G.unsqueeze(1) > G.unsqueeze(0)).any(dim=2)
    dom = ge & gt & ok.unsqueeze(1) & ok.unsqueeze(0)
    return dom | (ok.unsqueeze(1) & ~ok.unsqueeze(0))


def non_dominated_rank(F: torch.Tensor) -> torch.Tensor:
    """Front index of every row (0: non-dominated), as a long tensor of shape (N,).

    Non-finite rows form the last front (they are dominated by every finite row).
    """
    dom = dominance_matrix(F)
    n = F.shape[0]
    rank = torch.full((n,), -1, dtype=torch.long, device=F.device)
    count = dom.sum(dim=0)  # number of rows dominating each row
    front, r = count == 0, 0
    while front.any():
        rank[front] = r
        count = count - dom[front].sum(dim=0)
        count[rank >= 0] = -1
        front, r = count == 0, r + 1
    return rank


def crowding_distance(F: torch.Tensor, rank: torch.Tensor | None = None) -> torch.Tensor:
    """NSGA-II crowding distance of every row within its front (inf at a front's extremes).

    Each objective is normalised by its range over the front; fronts of one or two rows
    are all extremes. Non-finite rows get 0.
    """
    F = _check(F)
    rank = non_dominated_rank(F) if rank is None else rank
    ok = torch.isfinite(F).all(dim=1)
    d = torch.zeros(F.shape[0], dtype=torch.float64, device=F.device)
    for r in torch.unique(rank[ok]).tolist():
        idx = ((rank == r) & ok).nonzero().flatten()
        if idx.numel() <= 2:
            d[idx] = torch.inf
            continue
        part = torch.zeros(idx.numel(), dtype=torch.float64, device=F.device)
        for col in F[idx].T.to(torch.float64):
            order = torch.argsort(col, stable=True)
            s = col[order]
            span = s[-1] - s[0]
            gap = (s[2:] - s[:-2]) / span if span > 0 else torch.zeros_like(s[2:])
            part[order[1:-1]] += gap
            part[order[0]] = part[order[-1]] = torch.inf
        d[idx] = part
    return d


def hypervolume_contribution(F: torch.Tensor, rank: torch.Tensor | None = None) -> torch.Tensor:
    """Exclusive hypervolume of every row within its front, two objectives only.

    A front's two extreme points get ``inf`` (their contribution depends on the reference
    point); objectives are normalised by their range over the front. Non-finite rows get 0.

    Raises:
        ValueError: for more than two objectives (use :func:`crowding_distance`).
    """
    F = _check(F)
    if F.shape[1] != 2:
        raise ValueError(f"hypervolume_contribution needs 2 objectives, got {F.shape[1]}")
    rank = non_dominated_rank(F) if rank is None else rank
    ok = torch.isfinite(F).all(dim=1)
    d = torch.zeros(F.shape[0], dtype=torch.float64, device=F.device)
    for r in torch.unique(rank[ok]).tolist():
        idx = ((rank == r) & ok).nonzero().flatten()
        P = F[idx].to(torch.float64)
        span = (P.max(dim=0).values - P.min(dim=0).values).clamp_min(1e-300)
        P = P / span
        order = torch.argsort(P[:, 0] - 1e-9 * P[:, 1], stable=True)  # f0 up, so f1 down
        s = P[order]
        part = torch.full((idx.numel(),), torch.inf, dtype=torch.float64, device=F.device)
        if idx.numel() > 2:
            part[order[1:-1]] = (s[1:-1, 0] - s[:-2, 0]) * (s[1:-1, 1] - s[2:, 1])
        d[idx] = part
    return d


def pareto_scores(F: torch.Tensor, density: str = "crowding") -> torch.Tensor:
    """One higher-is-better score per row: ``-rank + d / (1 + d)``.

    ``rank`` is the front index and ``d >= 0`` the density term (crowding distance or
    hypervolume contribution; a front's extremes get the largest), so every member of a
    front scores above every member of the next one and, within a front, isolated members
    score higher. Sorting by the score is NSGA-II's survival order. Non-finite rows: ``-inf``.

    Args:
        F: (N, M) objective scores, higher is better in every column.
        density: ``"crowding"`` or ``"hypervolume"`` (two objectives only).
    """
    if density not in DENSITIES:
        raise ValueError(f"density must be one of {DENSITIES}, got {density!r}")
    F = _check(F)
    rank = non_dominated_rank(F)
    if density == "crowding" or F.shape[1] != 2:
        d = crowding_distance(F, rank)
    else:
        d = hypervolume_contribution(F, rank)
    d = d.clamp_max(_BOUNDARY)
    s = -rank.to(torch.float64) + d / (1.0 + d)
    ok = torch.isfinite(F).all(dim=1)
    return torch.where(ok, s, torch.full_like(s, -torch.inf))


def pareto_select(F: torch.Tensor, k: int, density: str = "crowding") -> torch.Tensor:
    """Indices of the ``k`` best rows by :func:`pareto_scores` (NSGA-II survival), best first."""
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= F.shape[0]:
        raise ValueError(f"k must be an integer in [0, {F.shape[0]}], got {k!r}")
    s = pareto_scores(F, density)
    return torch.argsort(s, descending=True, stable=True)[:k]


def pareto_mask(F: Any, chunk: int = 1024) -> np.ndarray:
    """Bool mask of the non-dominated rows of ``F`` (N, M), higher is better.

    Two objectives: one sort; more: numpy in row chunks (a whole benchmark table of
    15,625 rows takes seconds).
    Rows with a non-finite value are never in the mask; equal rows are all kept.
    """
    A = np.asarray(F, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"objective values must be 2-D (N, M), got shape {A.shape}")
    ok = np.isfinite(A).all(axis=1)
    B = A[ok]
    keep = _front_2d(B) if A.shape[1] == 2 else np.zeros(len(B), dtype=bool)
    for start in range(0, len(B) if A.shape[1] != 2 else 0, chunk):
        c = B[start : start + chunk]
        ge = (B[None, :, :] >= c[:, None, :]).all(axis=2)
        gt = (B[None, :, :] > c[:, None, :]).any(axis=2)
        keep[start : start + chunk] = ~(ge & gt).any(axis=1)
    out = np.zeros(len(A), dtype=bool)
    out[np.flatnonzero(ok)[keep]] = True
    return out


def _front_2d(B: np.ndarray) -> np.ndarray:
    """Non-dominated rows of finite (N, 2) scores by one sort (O(N log N))."""
    order = np.lexsort((-B[:, 1], -B[:, 0]))  # f0 descending, then f1 descending
    s0, s1 = B[order, 0], B[order, 1]
    first = np.r_[True, s0[1:] != s0[:-1]] if len(s0) else np.zeros(0, dtype=bool)
    group = np.cumsum(first) - 1
    top = s1[first]  # the best f1 of each f0 group
    before = np.r_[-np.inf, np.maximum.accumulate(top)[:-1]] if len(top) else top
    keep = np.zeros(len(B), dtype=bool)
    keep[order] = (s1 == top[group]) & (s1 > before[group])
    return keep
