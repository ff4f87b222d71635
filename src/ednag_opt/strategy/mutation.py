"""Row mutation of one-hot-style latents: change the argmax of one row (pure function)."""

from __future__ import annotations

import torch

__all__ = ["mutate_rows"]


def mutate_rows(
    x: torch.Tensor, mask: torch.Tensor, generator: torch.Generator, margin: float = 0.1
) -> torch.Tensor:
    """Move each member's argmax in one random row to another allowed choice.

    For member ``i`` a row ``r`` with at least two allowed choices and a choice ``c`` other
    than the current argmax are drawn uniformly; ``x[i, r, c]`` is raised to
    ``max(x[i, r]) + margin``, so ``argmax`` over the allowed entries becomes ``c`` and the
    rest of the latent is untouched. This is the one-edge mutation of regularised evolution
    expressed in the diffusion's latent space.

    Args:
        x: latents (M, D1, D2).
        mask: (D1, D2) bool, allowed choices per row.
        generator: CPU torch.Generator.
        margin: how far above the old maximum the new choice is placed.
    """
    m = x.shape[0]
    out = x.clone()
    if m == 0:
        return out
    counts = mask.sum(dim=1)
    rows_ok = (counts >= 2).nonzero().flatten()
    if rows_ok.numel() == 0:
        return out
    rows = rows_ok[torch.randint(rows_ok.numel(), (m,), generator=generator)]
    masked = out.masked_fill(~mask.to(out.device), -torch.inf)
    ar, rr = torch.arange(m, device=out.device), rows.to(out.device)
    cur = masked[ar, rr].argmax(dim=1).cpu()
    # draw among the other allowed choices: offset in [1, count) added modulo count
    k = counts[rows]
    off = 1 + (torch.rand(m, generator=generator, dtype=torch.float64) * (k - 1)).long()
    new = (cur + off) % k
    nn = new.to(out.device)
    top = masked[ar, rr].max(dim=1).values
    out[ar, rr, nn] = top + margin
    return out
