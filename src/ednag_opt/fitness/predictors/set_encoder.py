"""Set-transformer dataset encoder: intra-class then inter-class attention pooling.

Built from the description in Lee et al., "Set Transformer" (ICML 2019):

- multihead attention block ``MAB(X, Y) = LN(H + rFF(H))`` with ``H = LN(X + MHA(X, Y, Y))``;
- set attention block ``SAB(X) = MAB(X, X)`` (self-attention, permutation equivariant);
- pooling by multihead attention ``PMA_k(Z) = MAB(S, rFF(Z))`` with ``k`` learned seed
  vectors ``S`` (permutation invariant).

:class:`SetEncoder` applies, as in MetaD2A / EDNAG's dataset encoder, one stack per level:
the images of each class go through ``SAB -> PMA_1`` to one class vector, the class vectors
through ``SAB -> PMA_1`` to one dataset vector, and a linear layer gives the code ``z_D``.
Attention pooling is a weighted mean, blind to the set's size, so ``log(num_classes)`` is
appended before the last layer (the number of classes sets the chance level of every
architecture's accuracy).
"""

from __future__ import annotations

import math

import torch
from torch import nn

__all__ = ["MAB", "SAB", "PMA", "SetEncoder"]


def _rff(dim: int) -> nn.Module:
    return nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Linear(dim, dim))


class MAB(nn.Module):
    """Multihead attention block of queries ``X`` over keys/values ``Y``."""

    def __init__(self, dim: int, heads: int = 4) -> None:
        super().__init__()
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.ln0 = nn.LayerNorm(dim)
        self.ln1 = nn.LayerNorm(dim)
        self.rff = _rff(dim)

    def forward(
        self, x: torch.Tensor, y: torch.Tensor, key_mask: torch.Tensor | None = None
    ) -> torch.Tensor:
        """``x (B, n, d)``, ``y (B, m, d)``, ``key_mask (B, m)`` True for real keys."""
        pad = None if key_mask is None else ~key_mask
        h = self.ln0(x + self.attn(x, y, y, key_padding_mask=pad, need_weights=False)[0])
        return self.ln1(h + self.rff(h))


class SAB(nn.Module):
    """Set attention block (self-attention among the set's elements)."""

    def __init__(self, dim: int, heads: int = 4) -> None:
        super().__init__()
        self.mab = MAB(dim, heads)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        return self.mab(x, x, mask)


class PMA(nn.Module):
    """Pooling by multihead attention with ``k`` learned seeds: ``(B, n, d) -> (B, k, d)``."""

    def __init__(self, dim: int, heads: int = 4, k: int = 1) -> None:
        super().__init__()
        self.seeds = nn.Parameter(torch.randn(1, k, dim) / math.sqrt(dim))
        self.rff = _rff(dim)
        self.mab = MAB(dim, heads)

    def forward(self, z: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        s = self.seeds.expand(z.shape[0], -1, -1)
        return self.mab(s, self.rff(z), mask)


class SetEncoder(nn.Module):
    """Dataset code from per-class image features.

    Parameters
    ----------
    in_dim : int
        Per-image feature dimension.
    dim : int
        Width of the attention blocks.
    out_dim : int
        Size of the dataset code ``z_D``.
    heads : int
        Attention heads (must divide ``dim``).

    Notes
    -----
    The output is invariant to the order of the images within each class and to the order
    of the classes (up to floating-point rounding); padded images (``mask`` False) are ignored.
    """

    def __init__(self, in_dim: int, dim: int = 64, out_dim: int = 32, heads: int = 4) -> None:
        super().__init__()
        self.inp = nn.Linear(in_dim, dim)
        self.intra_sab = SAB(dim, heads)
        self.intra_pma = PMA(dim, heads)
        self.inter_sab = SAB(dim, heads)
        self.inter_pma = PMA(dim, heads)
        self.out = nn.Linear(dim + 1, out_dim)
        self.calls = 0  # forward passes (the predictor caches codes; tests count these)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """``x (C, k, in_dim)`` features of one task, ``mask (C, k)`` -> ``(out_dim,)``."""
        self.calls += 1
        h = self.inp(x)
        h = self.intra_sab(h, mask)
        cls = self.intra_pma(h, mask).transpose(0, 1)  # (1, C, dim): classes as one set
        cls = self.inter_sab(cls)
        z = self.inter_pma(cls)[0, 0]
        n_cls = torch.full((1,), math.log(x.shape[0]), dtype=z.dtype, device=z.device)
        return self.out(torch.cat([z, n_cls]))
