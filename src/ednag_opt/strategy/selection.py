"""(mu + lambda) survivor selection from parents ∪ offspring (paper §3.2), pure functions.

Three composable rules fill the next population in order:

1. elitist: the best ``round(elite_frac * n)`` distinct members;
2. diversity: ``round(diversity_frac * n)`` members chosen among the fitter half of the
   rest by farthest-point sampling (each pick maximises its distance to all picked so far);
3. roulette: the rest drawn without replacement with probability ∝ g(f).

Members are *distinct* when their keys differ (e.g. decoded architectures); without keys,
when their latent vectors differ. Duplicates are only used when there are too few
distinct members to fill the population.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np
import torch

__all__ = ["distinct_mask", "elite_indices", "diversity_indices", "roulette_indices", "select"]


def distinct_mask(x: torch.Tensor, keys: Sequence[Hashable] | None = None) -> torch.Tensor:
    """Bool mask of the first occurrence of each distinct member (by key, else by value)."""
    n = x.shape[0]
    if keys is not None:
        seen: set = set()
        first = [not (k in seen or seen.add(k)) for k in keys]
        return torch.tensor(first, dtype=torch.bool, device=x.device)
    flat = x.reshape(n, -1)
    # equal rows have equal projections: compare rows exactly only where projections tie
    proj = flat @ torch.linspace(1.0, 2.0, flat.shape[1], dtype=flat.dtype, device=x.device)
    mask = torch.ones(n, dtype=torch.bool, device=x.device)
    order = torch.argsort(proj, stable=True)
    ties = (proj[order][1:] == proj[order][:-1]).nonzero().flatten()
    if ties.numel() == 0:
        return mask
    seen: set[bytes] = set()
    tied = set(order[ties].tolist()) | set(order[ties + 1].tolist())
    for i in sorted(tied):  # first occurrence (lowest index) of each distinct row survives
        key = flat[i].cpu().numpy().tobytes()
        mask[i] = key not in seen
        seen.add(key)
    return mask


def elite_indices(scores: torch.Tensor, k: int, candidates: torch.Tensor) -> torch.Tensor:
    """Indices of the ``k`` best-scored ``candidates`` (bool mask), best first."""
    idx = candidates.nonzero().flatten()
    order = torch.argsort(scores[idx], descending=True, stable=True)
    return idx[order[:k]]


#: fit sets of up to this many pairs (m²) use one dense distance matrix; larger ones keep
#: only the running minimum distances (O(m) memory, one matrix-vector product per pick)
DENSE_PAIRS = 1 << 18


def diversity_indices(
    x: torch.Tensor,
    scores: torch.Tensor,
    k: int,
    candidates: torch.Tensor,
    chosen: torch.Tensor,
    fit_share: float = 0.5,
    dense_pairs: int = DENSE_PAIRS,
) -> torch.Tensor:
    """Farthest-point picks among the fitter ``fit_share`` of ``candidates``.

    Args:
        x: pool (M, ...); distances are Euclidean on the flattened members.
        scores: (M,) higher is better.
        k: number to pick.
        candidates: (M,) bool mask of members still available.
        chosen: indices already selected (the reference set; may be empty).
        fit_share: fraction of candidates (by score) eligible, at least ``k``.
        dense_pairs: largest ``m²`` (m eligible members) that builds the dense (m, m)
            distance matrix; above it, the same greedy rule runs in O(m) memory (equal
            picks up to the rounding of the distances).

    Returns:
        The picked indices into the pool, in pick order.
    """
    idx = candidates.nonzero().flatten()
    if k <= 0 or idx.numel() == 0:
        return idx[:0]
    m = min(idx.numel(), max(k, int(round(fit_share * idx.numel()))))
    fit = idx[torch.argsort(scores[idx], descending=True, stable=True)[:m]]
    flat = x.reshape(x.shape[0], -1)
    f = flat[fit]
    sq = (f * f).sum(dim=1)
    if chosen.numel() > 0:
        mind = _min_sq_dist(f, sq, flat[chosen], max(1, dense_pairs // m))
    else:  # no reference: start from the fittest
        mind = torch.zeros(m, dtype=f.dtype, device=x.device)
        mind[0] = 1.0
    greedy = _greedy_dense if m * m <= dense_pairs else _greedy_incremental
    picks = greedy(f, sq, mind.cpu().numpy().copy(), min(k, m))
    return fit[torch.tensor(picks, dtype=torch.long, device=fit.device)]


def _min_sq_dist(f: torch.Tensor, sq: torch.Tensor, ref: torch.Tensor, block: int) -> torch.Tensor:
    """(m,) smallest squared distance of each row of ``f`` to the rows of ``ref``, from
    GEMMs over blocks of ``block`` reference rows (one block: the dense computation)."""
    ref_sq = (ref * ref).sum(dim=1)
    mind = None
    for start in range(0, ref.shape[0], block):
        r = slice(start, start + block)
        cross = sq.unsqueeze(1) + ref_sq[r].unsqueeze(0) - 2.0 * (f @ ref[r].T)
        part = cross.clamp_min(0.0).min(dim=1).values
        mind = part if mind is None else torch.minimum(mind, part)
    return mind


def _greedy_dense(f: torch.Tensor, sq: torch.Tensor, mind: np.ndarray, k: int) -> list[int]:
    """Farthest-point greedy on the dense (m, m) squared distances (one GEMM).

    ``mind`` (updated in place) holds each member's squared distance to the picked set.
    """
    # squared distances among the fit from one GEMM (only compared, so float32 is enough)
    d2 = (sq.unsqueeze(1) + sq.unsqueeze(0) - 2.0 * (f @ f.T)).clamp_min(0.0)
    # the greedy loop on small host arrays: per-op torch dispatch would dominate its cost
    d2n = d2.cpu().numpy()
    picks = []
    for _ in range(k):
        j = int(mind.argmax())  # first maximum, as torch.argmax
        picks.append(j)
        np.minimum(mind, d2n[:, j], out=mind)
        mind[j] = -1.0
    return picks


def _greedy_incremental(
    f: torch.Tensor, sq: torch.Tensor, mind: np.ndarray, k: int
) -> list[int]:
    """The same greedy as :func:`_greedy_dense`, computing only the column of each pick."""
    sqn = sq.cpu().numpy()
    picks = []
    for _ in range(k):
        j = int(mind.argmax())
        picks.append(j)
        col = torch.mv(f, f[j]).cpu().numpy()  # torch: its thread setting, any device
        col *= -2.0
        col += sqn
        col += sqn[j]
        np.maximum(col, 0.0, out=col)
        np.minimum(mind, col, out=mind)
        mind[j] = -1.0
    return picks


def roulette_indices(
    log_g: torch.Tensor, k: int, candidates: torch.Tensor, generator: torch.Generator
) -> torch.Tensor:
    """``k`` draws without replacement among ``candidates`` with probability ∝ exp(log_g).

    Members of weight zero (non-finite fitness) come only after all others.
    """
    idx = candidates.nonzero().flatten()
    k = min(k, idx.numel())
    if k <= 0:
        return idx[:0]
    lg = log_g[idx].to(torch.float64)
    finite = torch.isfinite(lg)
    w = torch.zeros_like(lg)
    if finite.any():
        w[finite] = torch.exp(lg[finite] - lg[finite].max())
    positive = int((w > 0).sum())
    if positive < k:  # not enough weighted members: the zero-weight ones fill up uniformly
        w = torch.where(w > 0, w, torch.full_like(w, 1e-200))
        w = torch.where(w > 1e-200, w + 1e6, w)  # weighted members strictly first
    draw = torch.multinomial(w.cpu(), k, replacement=False, generator=generator)
    return idx[draw.to(idx.device)]


def select(
    x: torch.Tensor,
    scores: torch.Tensor,
    log_g: torch.Tensor,
    n: int,
    generator: torch.Generator,
    elite_frac: float = 0.1,
    diversity_frac: float = 0.2,
    roulette: bool = True,
    keys: Sequence[Hashable] | None = None,
) -> torch.Tensor:
    """Choose ``n`` survivors from a pool of ``M >= n``; returns their indices.

    Args:
        x: pool (M, ...).
        scores: (M,) higher is better; non-finite values are the worst.
        log_g: (M,) log-densities for roulette (``-inf`` allowed).
        n: survivors to choose.
        generator: the strategy's torch.Generator (CPU).
        elite_frac, diversity_frac: shares of ``n`` for the first two rules.
        roulette: draw the rest by roulette; when False, fill by score (truncation).
        keys: optional hashable identity of each member (defines distinctness).
    """
    m = x.shape[0]
    if m < n:
        raise ValueError(f"pool of {m} members cannot fill a population of {n}")
    safe = torch.where(torch.isfinite(scores), scores, torch.full_like(scores, -torch.inf))
    available = distinct_mask(x, keys)
    if int(available.sum()) < n:  # too few distinct members: duplicates become eligible
        available = torch.ones(m, dtype=torch.bool, device=x.device)
    chosen = elite_indices(safe, int(round(elite_frac * n)), available)
    available[chosen] = False
    div = diversity_indices(x, safe, int(round(diversity_frac * n)), available, chosen)
    chosen = torch.cat([chosen, div])
    available[div] = False
    rest = n - chosen.numel()
    if roulette:
        extra = roulette_indices(log_g, rest, available, generator)
    else:
        extra = elite_indices(safe, rest, available)
    return torch.cat([chosen, extra])
