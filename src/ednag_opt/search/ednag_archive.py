"""EDNAG whose x0 estimate averages over every queried architecture (the "archive").

The evolutionary diffusion of the paper estimates the clean point of each particle as a
fitness- and kernel-weighted mean of the *current population*. Here the diffusion's data
are all the architectures queried so far, in their one-hot form ``x_i`` (entries in
{-1, +1}), weighted by a rank map of their fitness:

    x0_hat(z) = sum_i w_i(z) x_i,   w_i(z) ∝ g(f_i) N(z; sqrt(a_t) x_i, (1 - a_t) I)

and each particle takes the DDIM step towards it. Decoding a particle gives the next
architecture to query. Early (a_t small) the weights follow fitness alone and particles
are nearly random; late the kernel localises them around good queried architectures, so
the diffusion proposes close variants of the best cells it has seen. The archive outlives
restarts: every run of ``num_steps`` generations starts from fresh noise but denoises
towards everything learnt so far.

A particle that decodes to a known architecture is moved along the denoising direction
(``novelty="denoise"``): the row whose two best choices are closest in the particle's
latent flips to its runner-up, then the next-closest row, until the architecture is new
(label ``"guided"``; a random one-row mutation after ``tries`` flips, label ``"repair"``).
With ``novelty="parent"`` the default's move is used instead (tournament parent among the
archive's top ``popsize`` + one-row mutation, label ``"repair"``).
"""

from __future__ import annotations

import math
from typing import Any

import torch

from ..spaces import SearchSpace
from ..strategy.ddim import ddim_step
from ..strategy.guidance import rank_map
from ..strategy.mutation import mutate_rows
from ..strategy.schedules import get_schedule
from .tracker import Tracker

__all__ = ["archive_x0", "denoise_flip", "run_archive"]


def archive_x0(
    z: torch.Tensor,
    data: torch.Tensor,
    log_g: torch.Tensor,
    alpha: float,
    hamming: float | None = None,
    mask: torch.Tensor | None = None,
) -> torch.Tensor:
    """Kernel-weighted estimate of the clean point of each particle from a data set.

    Args:
        z: particles (N, D1, D2).
        data: clean points (M, D1, D2) (the archive).
        log_g: (M,) log-densities of the data (``-inf``: excluded).
        alpha: signal level a_t in (0, 1).
        hamming: if given, the kernel is over decoded architectures instead of raw
            latents: ``exp(-hamming * a / (1 - a) * rows_differing(decode(z), x_i))``.
        mask: allowed choices (D1, D2), needed with ``hamming``.

    Returns:
        (N, D1, D2) tensor: ``sum_i softmax_i(log g_i - |z - sqrt(a) x_i|² / 2(1-a)) x_i``.
    """
    zf = z.reshape(z.shape[0], -1).to(torch.float64)
    xf = data.reshape(data.shape[0], -1).to(torch.float64)
    if hamming is None:
        d2 = torch.cdist(zf, math.sqrt(alpha) * xf).square()
        dist = d2 / (2.0 * (1.0 - alpha))
    else:
        rz = z.masked_fill(~mask, -torch.inf).argmax(dim=2)
        rx = data.masked_fill(~mask, -torch.inf).argmax(dim=2)
        rows = (rz.unsqueeze(1) != rx.unsqueeze(0)).sum(dim=2).to(torch.float64)
        dist = hamming * alpha / (1.0 - alpha) * rows
    logits = log_g.to(torch.float64).unsqueeze(0) - dist
    w = torch.softmax(logits, dim=1)
    return (w @ xf).reshape(z.shape).to(z.dtype)


def denoise_flip(z: torch.Tensor, mask: torch.Tensor, k: int) -> torch.Tensor:
    """Flip, in each particle, the row with the ``k``-th smallest top-2 margin (k >= 0).

    The flipped row's runner-up choice is raised just above its best, so the particle
    decodes to the architecture the denoising is closest to proposing instead.
    """
    out = z.clone()
    masked = z.masked_fill(~mask, -torch.inf)
    top2 = masked.topk(2, dim=2)
    margin = top2.values[..., 0] - top2.values[..., 1]
    margin = torch.nan_to_num(margin, posinf=math.inf)  # one-choice rows never flip
    order = margin.argsort(dim=1, stable=True)
    rows = order[:, min(k, order.shape[1] - 1)]
    ar = torch.arange(z.shape[0])
    runner = top2.indices[ar, rows, 1]
    out[ar, rows, runner] = top2.values[ar, rows, 0] + 1e-3
    return out


def run_archive(space: SearchSpace, tracker: Tracker, cfg: Any, *, seed: int, tries: int,
                novelty: str, hamming: float | None = None) -> dict[str, Any]:  # fmt: skip
    """Archive-based evolutionary diffusion until the tracker stops it.

    Args:
        space: the search space.
        tracker: budget, best, history.
        cfg: the strategy's :class:`~ednag_opt.strategy.DDIMConfig` (popsize, num_steps,
            schedule, sigma, fitness_map, temperature are used).
        seed: seeds the noise and the moves.
        tries: denoising flips (then one random mutation) per duplicate particle.
        novelty: ``"denoise"`` or ``"parent"`` (see the module docstring).

    Returns:
        Extras: ``runs``.
    """
    g = torch.Generator().manual_seed(seed)
    mask = space.mask
    alphas = get_schedule(cfg.schedule, cfg.num_steps)
    fmap = _rank_decay(cfg.popsize * (cfg.temperature or 1.0))
    data: list[torch.Tensor] = []
    scores: list[float] = []
    shape = (cfg.popsize, *space.shape)
    runs = 0
    while not tracker.done:
        before = tracker.unique_queries
        z = torch.randn(shape, generator=g, dtype=torch.float64)
        for t in range(cfg.num_steps - 1, -1, -1):
            if tracker.done:
                break
            if t < cfg.num_steps - 1 and data:
                a_t, a_prev = float(alphas[t + 1]), float(alphas[t])
                logg = fmap(torch.tensor(scores, dtype=torch.float64))
                x0 = archive_x0(z, torch.stack(data), logg, a_t, hamming, mask)
                noise = torch.randn(shape, generator=g, dtype=torch.float64)
                z = ddim_step(z, x0, a_t, a_prev, cfg.sigma, noise)
            z = _query(space, tracker, z, data, scores, g, tries, novelty, mask)
        runs += 1
        if tracker.unique_queries == before:
            tracker.stop("stalled")
    return {"runs": runs}


def _query(space, tracker, z, data, scores, g, tries, novelty, mask) -> torch.Tensor:
    """Decode, make duplicates novel, query; add the new points to the archive."""
    archs = space.decode(z)
    labels = ["diffusion"] * len(archs)
    taken: set[str] = set()
    for i in range(len(archs)):
        k = 0
        while (tracker.seen(archs[i]) or tracker.key(archs[i]) in taken) and k <= tries:
            if novelty == "parent" and k == 0 and data:
                z[i] = _parent(data, scores, g, z.shape[0]).to(z.dtype)
            if novelty == "denoise" and k < tries:
                z[i : i + 1] = denoise_flip(z[i : i + 1], mask, k)
                labels[i] = "guided"
            else:
                z[i : i + 1] = mutate_rows(z[i : i + 1], mask, g)
                labels[i] = "repair"
            archs[i] = space.decode(z[i : i + 1])[0]
            k += 1
        taken.add(tracker.key(archs[i]))
    n_before = len(tracker.queries)
    tracker.query(archs, origin=labels)
    sign = 1.0 if tracker.maximize else -1.0
    for a, v in tracker.queries[n_before:]:
        data.append(space.encode([a])[0].to(torch.float64) * 2.0 - 1.0)
        scores.append(sign * v if math.isfinite(v) else -math.inf)
    return z


def _rank_decay(scale: float):
    """Log-density ``-rank / scale`` (rank 0 = best; ties share the mean rank): the weight
    decays by e every ``scale`` ranks whatever the archive's size."""

    def logg(scores: torch.Tensor) -> torch.Tensor:
        finite = torch.isfinite(scores)
        n = int(finite.sum())
        u = rank_map(scores, temperature=1.0)  # (rank / (n-1)) - 1 in [-1, 0]
        return torch.where(finite, u * max(n - 1, 1) / scale, u)

    return logg


def _parent(data, scores, g, n, size=5) -> torch.Tensor:
    """Latent of a tournament winner among the archive's ``n`` best (scaled to +-1)."""
    top = torch.tensor(scores).argsort(descending=True)[:n]
    cand = top[torch.randint(top.numel(), (size,), generator=g)]
    best = cand[torch.tensor(scores)[cand].argmax()]
    return data[int(best)].clone()
