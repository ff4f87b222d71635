"""Adapting a meta-trained :class:`~ednag_opt.fitness.predictors.PriorSurrogate` to a new task.

:class:`AdaptedSurrogate` scores ``gain * sum_k w_k z_k(x) + r(x)``: ``z_k`` the prior's
standardised task heads, ``w`` mixture weights over them, ``r`` a small residual ensemble
fitted on the new task's real queries with the prior's pairwise ranking loss. The weights
are either fitted with that loss (``task_weights="fit"``) or, as in RGPE ensembles of
per-task models, set to the probability that head ``k`` misorders the fewest pairs of the
new task's queries, over bootstrap resamples of those queries (``"rgpe"``; then only the
gain and the residual are fitted). The residual's L2 penalty can shrink as queries
accumulate (``residual_n0``: penalty times ``min(1, residual_n0 / n)``), so the new task's
own data outweighs the prior once there is enough of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from torch import nn

__all__ = ["AdaptedSurrogate", "rgpe_weights"]

TASK_WEIGHTS = ("fit", "rgpe")


class _MLPs(nn.Module):
    """``M`` independent MLPs ``F -> H -> H -> K`` run as one batched network."""

    def __init__(self, m: int, n_in: int, hidden: int, n_out: int, g: torch.Generator,
                 zero_last: bool = False) -> None:  # fmt: skip
        super().__init__()
        self.linear = hidden == 0  # a linear model F -> K (zero-initialised)
        if self.linear:
            self.w3 = nn.Parameter(torch.zeros(m, n_in, n_out))
            self.b3 = nn.Parameter(torch.zeros(m, 1, n_out))
            return

        def weight(i: int, o: int) -> nn.Parameter:
            return nn.Parameter(torch.randn(m, i, o, generator=g) * (2.0 / i) ** 0.5)

        self.w1, self.b1 = weight(n_in, hidden), nn.Parameter(torch.zeros(m, 1, hidden))
        self.w2, self.b2 = weight(hidden, hidden), nn.Parameter(torch.zeros(m, 1, hidden))
        self.w3, self.b3 = weight(hidden, n_out), nn.Parameter(torch.zeros(m, 1, n_out))
        if zero_last:
            with torch.no_grad():
                self.w3.mul_(0.01)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, F)`` or ``(M, N, F)`` -> ``(M, N, K)``."""
        if self.linear:
            return torch.matmul(x, self.w3) + self.b3
        h = torch.relu(torch.matmul(x, self.w1) + self.b1)
        h = torch.relu(torch.bmm(h, self.w2) + self.b2)
        return torch.bmm(h, self.w3) + self.b3


def _pair_loss(p: torch.Tensor, y: torch.Tensor, w: torch.Tensor | None = None) -> torch.Tensor:
    """Mean logistic ranking loss over all ordered pairs with different targets.

    Args:
        p: scores ``(M, n)``.
        y: targets ``(n,)``.
        w: optional pair weights ``(n, n)``.

    Returns:
        The scalar loss.
    """
    s = torch.sign(y[:, None] - y[None, :])
    pw = (s != 0).float() if w is None else w * (s != 0)
    d = p[:, :, None] - p[:, None, :]
    return (pw * nn.functional.softplus(-s * d)).sum(dim=(1, 2)).div(pw.sum().clamp_min(1)).mean()


def rgpe_weights(z: torch.Tensor, y: torch.Tensor, *, draws: int = 256,
                 seed: int = 0) -> torch.Tensor:  # fmt: skip
    """RGPE-style mixture weights of the prior heads from a new task's queries.

    Each bootstrap resample of the queries counts, for every head (ensemble mean), the
    ordered pairs it ranks against ``y``; a head's weight is the share of resamples in
    which it misorders the fewest (ties split).

    Args:
        z: head scores of the queried architectures, ``(M, K, n)``.
        y: their values ``(n,)``, larger is better.
        draws: bootstrap resamples.
        seed: seed of the resampling.

    Returns:
        Weights ``(K,)`` summing to 1.
    """
    g = torch.Generator().manual_seed(seed)
    zm, n = z.mean(dim=0).cpu(), len(y)
    idx = torch.randint(n, (draws, n), generator=g)
    yb, zb = y.cpu()[idx], zm[:, idx]  # (B, n), (K, B, n)
    sy = torch.sign(yb[:, :, None] - yb[:, None, :])
    sz = torch.sign(zb[:, :, :, None] - zb[:, :, None, :])
    wrong = ((sy[None] * sz) < 0).sum(dim=(2, 3)).float()  # (K, B)
    win = (wrong == wrong.min(dim=0).values[None]).float()
    w = (win / win.sum(dim=0, keepdim=True)).mean(dim=1)
    return w.to(z.device)


class AdaptedSurrogate:
    """A :class:`PriorSurrogate` conditioned on a new task (built by ``adapt``).

    Score: ``gain * sum_k w_k z_k(x) + r(x)`` (see the module docstring); before any fit
    ``w`` is uniform, ``gain`` 1 and ``r`` 0.
    """

    def __init__(self, prior: Any, seed: int) -> None:
        self.prior, self.seed = prior, int(seed)
        k = prior.stats_.shape[1] if prior.stats_ is not None else 1
        self.logits = torch.zeros(k, device=prior.device)
        self.log_gain = torch.zeros((), device=prior.device)
        self.residual: _MLPs | None = None

    @property
    def weights(self) -> np.ndarray:
        """The mixture weights over the prior heads."""
        return torch.softmax(self.logits, 0).cpu().numpy()

    def _score(self, x: torch.Tensor, z: torch.Tensor) -> torch.Tensor:
        p = torch.exp(self.log_gain) * torch.einsum("k,mkn->mn", torch.softmax(self.logits, 0), z)
        if self.residual is not None:
            p = p + self.residual(x)[:, :, 0]
        return p

    def _fit(self, x: torch.Tensor, z: torch.Tensor, y: torch.Tensor) -> None:
        pr = self.prior
        g = torch.Generator().manual_seed(self.seed)
        res = _MLPs(pr.n_models, x.shape[1], pr.residual_hidden, 1, g, True).to(pr.device)
        self.residual = res if pr.residual else None
        rgpe = getattr(pr, "task_weights", "fit") == "rgpe"
        if rgpe:
            self.logits = torch.log(rgpe_weights(z, y, seed=self.seed).clamp_min(1e-6))
        self.logits.requires_grad_(not rgpe)
        self.log_gain.requires_grad_(pr.adapt_gain)
        n0 = getattr(pr, "residual_n0", None)
        decay = pr.residual_decay * (1.0 if n0 is None else min(1.0, n0 / len(y)))
        q = (torch.argsort(torch.argsort(y)).float() + 0.5) / len(y)
        w = torch.exp(pr.top_weight * torch.maximum(q[:, None], q[None, :]))
        mix = ([] if rgpe else [self.logits]) + ([self.log_gain] if pr.adapt_gain else [])
        opt = torch.optim.Adam(
            [{"params": list(res.parameters()) if pr.residual else [], "weight_decay": decay},
             {"params": mix, "weight_decay": 0.0, "lr": 10 * pr.lr}],
            lr=pr.lr,
        )  # fmt: skip
        for _ in range(pr.adapt_epochs):
            opt.zero_grad(set_to_none=True)
            loss = _pair_loss(self._score(x, z), y, w)
            if not rgpe:
                loss = loss + 1e-2 * (self.logits**2).mean()
            loss.backward()
            opt.step()
        self.logits = self.logits.detach()
        self.log_gain = self.log_gain.detach()

    def predict(self, archs: Sequence[Any], return_std: bool = False) -> Any:
        """Ensemble mean (and standard deviation) of the score; larger is better."""
        archs = list(archs)
        if not archs:
            e = np.empty(0)
            return (e, e) if return_std else e
        with torch.no_grad():
            p = self._score(self.prior._x(archs), self.prior.predict_heads(archs)).double().cpu()
        mean = p.mean(dim=0).numpy()
        return (mean, p.std(dim=0, correction=0).numpy()) if return_std else mean
