"""An architecture-only performance predictor fitted on the architectures already queried.

:class:`ArchSurrogate` is a deep ensemble of small MLPs over a search space's one-hot
encoding (optionally with pairwise row features). Every member is trained on the same data
with its own initialisation and Bayesian-bootstrap weights, so the spread of the members is
an (uncalibrated) uncertainty. All members train and predict as one batched network.

Two losses are available:

- ``"rank"`` (default): pairwise logistic ranking loss over every pair with different
  targets (RankNet). Only the order of the targets matters, so outliers such as the ~10%
  accuracy of disconnected cells do not dominate the fit. After training, each member's
  scores are mapped to the targets' units by a least-squares line, so ``predict`` returns
  values on the scale of ``y``.
- ``"mse"``: squared error on standardised targets.

Measured on NAS-Bench-201 (docs/results_surrogate.md) the ranking loss on plain one-hot
features needed the fewest real queries to reach the optimum.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ednag_opt._io import atomic_open
from ednag_opt.fitness._io import load_model_doc
from ednag_opt.fitness.predictors.ofa import resolve_device
from ednag_opt.spaces import SearchSpace, get_space

__all__ = ["ArchSurrogate", "FEATURES"]

_FORMAT = "ednag_opt.ArchSurrogate"


def _onehot(x: torch.Tensor) -> torch.Tensor:
    return x.reshape(x.shape[0], -1)


def _pairwise(x: torch.Tensor) -> torch.Tensor:
    """One-hot rows plus the outer product of every pair of rows (co-occurring choices)."""
    n, d1, _ = x.shape
    pairs = [
        (x[:, a, :, None] * x[:, b, None, :]).reshape(n, -1)
        for a, b in itertools.combinations(range(d1), 2)
    ]
    return torch.cat([_onehot(x), *pairs], dim=1)


#: Named feature maps from an encoding ``(N, D1, D2)`` to ``(N, F)``.
FEATURES: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "onehot": _onehot,
    "pairwise": _pairwise,
}


class _Ensemble(nn.Module):
    """``M`` independent MLPs ``F -> H -> H -> 1`` evaluated as one batched network."""

    def __init__(self, members: int, n_in: int, hidden: int, generator: torch.Generator):
        super().__init__()

        def weight(i: int, o: int) -> nn.Parameter:
            return nn.Parameter(torch.randn(members, i, o, generator=generator) * (2.0 / i) ** 0.5)

        self.w1, self.b1 = weight(n_in, hidden), nn.Parameter(torch.zeros(members, 1, hidden))
        self.w2, self.b2 = weight(hidden, hidden), nn.Parameter(torch.zeros(members, 1, hidden))
        self.w3, self.b3 = weight(hidden, 1), nn.Parameter(torch.zeros(members, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """``(N, F)`` -> ``(M, N)`` scores."""
        h = torch.relu(torch.matmul(x, self.w1) + self.b1)
        h = torch.relu(torch.bmm(h, self.w2) + self.b2)
        return (torch.bmm(h, self.w3) + self.b3).squeeze(-1)


class ArchSurrogate:
    """Deep-ensemble performance predictor over a search space's encoding.

    Parameters
    ----------
    space : str or SearchSpace
        Space whose :meth:`~ednag_opt.spaces.SearchSpace.encode` gives the inputs.
    features : {"onehot", "pairwise"}
        Input features: the flattened one-hot encoding, or that plus the outer products
        of every pair of rows (``D1 (D1 - 1) / 2 * D2**2`` extra inputs).
    loss : {"rank", "mse"}
        Pairwise logistic ranking loss or squared error (see the module docstring).
    n_models : int
        Ensemble members (>= 1); their standard deviation is ``predict``'s ``std``.
    hidden : int
        Width of the two hidden layers.
    epochs : int
        Full-batch Adam steps per :meth:`fit`.
    lr, weight_decay : float
        Adam's learning rate and L2 penalty.
    bootstrap : bool
        Weight each member's training points by Exp(1) draws (Bayesian bootstrap).
    seed : int
        Seed of initialisation and bootstrap weights: same data, same seed, same model.
    device : str or torch.device, optional
        ``None`` (CPU), ``"auto"`` or a torch device.
    batch_size : int
        Architectures per forward pass in :meth:`predict`.
    max_pairs : int
        The ranking loss uses all ``N**2`` ordered pairs up to this many; beyond, each
        step draws this many random pairs per member (training cost linear in N).
    top_weight : float
        Ranking loss only: a pair weighs ``exp(top_weight * q)``, ``q`` the larger of its
        two targets' quantiles in [0, 1], so the order among large targets (the good
        architectures when maximising) counts more. 0: all pairs alike.
    """

    def __init__(
        self,
        space: str | SearchSpace = "nas-bench-201",
        *,
        features: str = "onehot",
        loss: str = "rank",
        n_models: int = 5,
        hidden: int = 64,
        epochs: int = 200,
        lr: float = 1e-2,
        weight_decay: float = 1e-4,
        bootstrap: bool = False,
        seed: int = 0,
        device: str | torch.device | None = None,
        batch_size: int = 8192,
        max_pairs: int = 8192,
        top_weight: float = 0.0,
    ) -> None:
        if features not in FEATURES:
            raise ValueError(f"features must be one of {sorted(FEATURES)}, got {features!r}")
        if loss not in ("rank", "mse"):
            raise ValueError(f"loss must be 'rank' or 'mse', got {loss!r}")
        if min(n_models, hidden, epochs, batch_size, max_pairs) < 1:
            raise ValueError("n_models, hidden, epochs, batch_size and max_pairs must be >= 1")
        self.space = get_space(space) if isinstance(space, str) else space
        self.features, self.loss = features, loss
        self.n_models, self.hidden, self.epochs = int(n_models), int(hidden), int(epochs)
        self.lr, self.weight_decay = float(lr), float(weight_decay)
        self.bootstrap, self.seed, self.batch_size = bool(bootstrap), int(seed), int(batch_size)
        self.max_pairs, self.top_weight = int(max_pairs), float(top_weight)
        self.device = resolve_device(device)
        self.net_: _Ensemble | None = None
        self.scale_: torch.Tensor | None = None  # (M, 2): slope, intercept per member
        self.n_train_ = 0

    # ------------------------------------------------------------------------- inputs
    def _inputs(self, archs: Any) -> torch.Tensor:
        """Features ``(N, F)`` on :attr:`device` of architectures or of an encoding."""
        if isinstance(archs, np.ndarray | torch.Tensor):
            x = torch.as_tensor(archs, dtype=torch.float32)
            if x.dim() != 3 or tuple(x.shape[1:]) != tuple(self.space.shape):
                raise ValueError(
                    f"an encoding must have shape (N, {self.space.shape[0]}, "
                    f"{self.space.shape[1]}), got {tuple(x.shape)}"
                )
        else:
            x = self.space.encode(list(archs))
        return FEATURES[self.features](x.to(self.device))

    # ---------------------------------------------------------------------- training
    def fit(self, archs: Sequence[Any] | torch.Tensor | np.ndarray, y: Any) -> ArchSurrogate:
        """Train a fresh ensemble on architectures (or their encoding) and targets.

        Parameters
        ----------
        archs : sequence of architectures, or an encoding ``(N, D1, D2)``
        y : array-like of N finite floats
            Targets (any direction: the model predicts ``y`` itself). Non-finite targets
            are dropped.

        Returns
        -------
        ArchSurrogate
            ``self``.
        """
        x = self._inputs(archs)
        yt = torch.as_tensor(np.asarray(y, dtype=np.float64), dtype=torch.float32)
        if yt.dim() != 1 or yt.shape[0] != x.shape[0]:
            raise ValueError(f"y must hold {x.shape[0]} values, got shape {tuple(yt.shape)}")
        keep = torch.isfinite(yt)
        x, yt = x[keep], yt[keep].to(self.device)
        if x.shape[0] < 2:
            raise ValueError("fit needs at least 2 architectures with finite targets")
        g = torch.Generator().manual_seed(self.seed)
        m, n = self.n_models, x.shape[0]
        net = _Ensemble(m, x.shape[1], self.hidden, g).to(self.device)
        if self.bootstrap:
            w = -torch.log(torch.rand(m, n, generator=g).clamp_min(1e-12))  # Exp(1)
        else:
            w = torch.ones(m, n)
        w = w.to(self.device)
        mu, sd = yt.mean(), yt.std().clamp_min(1e-12)
        z = (yt - mu) / sd
        sampled = n * n > self.max_pairs
        # pair importance exp(top_weight * max(q_i, q_j)), q the targets' quantile in [0, 1]
        u = torch.exp(self.top_weight * (torch.argsort(torch.argsort(z)).float() + 0.5) / n)
        if not sampled:  # every pair, weighted by both bootstrap weights
            sign = torch.sign(z[:, None] - z[None, :])
            pair_w = w[:, :, None] * w[:, None, :] * (sign != 0)
            pair_w = pair_w * torch.maximum(u[:, None], u[None, :])
            pair_w = pair_w / pair_w.sum(dim=(1, 2), keepdim=True).clamp_min(1e-12)
        rows = torch.arange(m, device=self.device)[:, None]
        opt = torch.optim.Adam(net.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        for _ in range(self.epochs):
            opt.zero_grad(set_to_none=True)
            p = net(x)
            if self.loss == "mse":
                loss = (w * (p - z) ** 2).sum(dim=1).div(w.sum(dim=1)).mean()
            elif not sampled:
                d = p[:, :, None] - p[:, None, :]
                rank = (pair_w * nn.functional.softplus(-sign * d)).sum(dim=(1, 2)).mean()
                loss = rank + 1e-3 * (p**2).mean()
            else:  # a fresh random subset of pairs per member and step
                i, j = torch.randint(n, (2, m, self.max_pairs), generator=g).to(self.device)
                sij = torch.sign(z[i] - z[j])
                wij = w[rows, i] * w[rows, j] * (sij != 0) * torch.maximum(u[i], u[j])
                lij = nn.functional.softplus(-sij * (p[rows, i] - p[rows, j]))
                rank = ((wij * lij).sum(dim=1) / wij.sum(dim=1).clamp_min(1e-12)).mean()
                loss = rank + 1e-3 * (p**2).mean()
            loss.backward()
            opt.step()
        with torch.no_grad():
            s = net(x)  # (M, N): least-squares line from each member's scores to y
            sc = s - s.mean(dim=1, keepdim=True)
            slope = (sc * (yt - mu)).sum(dim=1) / (sc**2).sum(dim=1).clamp_min(1e-12)
            self.scale_ = torch.stack([slope, mu - slope * s.mean(dim=1)], dim=1)
        self.net_, self.n_train_ = net, n
        return self

    # -------------------------------------------------------------------- prediction
    def predict_members(self, archs: Sequence[Any] | torch.Tensor | np.ndarray) -> torch.Tensor:
        """Every member's prediction, ``(n_models, N)`` float64 on the CPU."""
        if self.net_ is None or self.scale_ is None:
            raise RuntimeError("ArchSurrogate is not fitted: call fit() or load() first")
        if isinstance(archs, np.ndarray | torch.Tensor):
            n = archs.shape[0]
        else:
            archs = list(archs)
            n = len(archs)
        out = []
        with torch.no_grad():
            for i in range(0, n, self.batch_size):
                s = self.net_(self._inputs(archs[i : i + self.batch_size]))
                out.append((s * self.scale_[:, :1] + self.scale_[:, 1:]).cpu())
        if not out:
            return torch.empty(self.n_models, 0, dtype=torch.float64)
        return torch.cat(out, dim=1).double()

    def predict(
        self, archs: Sequence[Any] | torch.Tensor | np.ndarray, return_std: bool = False
    ) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
        """Ensemble mean (and standard deviation) of the predicted targets.

        Parameters
        ----------
        archs : sequence of architectures, or an encoding ``(N, D1, D2)``
        return_std : bool
            Also return the members' standard deviation (0 for a single member).

        Returns
        -------
        mean : ndarray of shape (N,)
        std : ndarray of shape (N,), only if ``return_std``
        """
        p = self.predict_members(archs)
        mean = p.mean(dim=0).numpy()
        if not return_std:
            return mean
        std = p.std(dim=0, correction=0).numpy()
        return mean, std

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        """Predicted mean as a float64 tensor: the surrogate is itself a fitness function."""
        return torch.from_numpy(self.predict(archs))

    # ------------------------------------------------------------------- persistence
    def get_params(self) -> dict[str, Any]:
        """Constructor arguments (space by name)."""
        return {
            "space": self.space.name,
            "features": self.features,
            "loss": self.loss,
            "n_models": self.n_models,
            "hidden": self.hidden,
            "epochs": self.epochs,
            "lr": self.lr,
            "weight_decay": self.weight_decay,
            "bootstrap": self.bootstrap,
            "seed": self.seed,
            "batch_size": self.batch_size,
            "max_pairs": self.max_pairs,
            "top_weight": self.top_weight,
        }

    def save(self, path: str | Path) -> Path:
        """Write parameters and weights to a torch file; returns the path."""
        if self.net_ is None or self.scale_ is None:
            raise RuntimeError("ArchSurrogate is not fitted: nothing to save")
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        state = {k: v.cpu() for k, v in self.net_.state_dict().items()}
        doc = {
            "format": _FORMAT,
            "params": self.get_params(),
            "state": state,
            "scale": self.scale_.cpu(),
            "n_train": self.n_train_,
            "n_in": int(self.net_.w1.shape[1]),
        }
        with atomic_open(path, "wb") as fh:  # an interrupted save keeps the old file
            torch.save(doc, fh)
        return path

    @classmethod
    def load(
        cls,
        path: str | Path,
        *,
        space: SearchSpace | None = None,
        device: str | torch.device | None = None,
    ) -> ArchSurrogate:
        """Read a model written by :meth:`save` (``space``: pass a configured space object
        when the saved name alone does not rebuild it)."""
        doc = load_model_doc(path, _FORMAT, "ArchSurrogate")
        try:
            params = dict(doc["params"])
            if space is not None:
                params["space"] = space
            model = cls(**params, device=device)
            g = torch.Generator().manual_seed(0)
            net = _Ensemble(model.n_models, int(doc["n_in"]), model.hidden, g)
            net.load_state_dict(doc["state"])
            scale, n_train = doc["scale"], int(doc["n_train"])
        except (KeyError, TypeError, ValueError, RuntimeError, AttributeError) as exc:
            raise ValueError(
                f"{path}: malformed ArchSurrogate file ({type(exc).__name__}: {exc})"
            ) from None
        model.net_ = net.to(model.device)
        model.scale_ = scale.to(model.device)
        model.n_train_ = n_train
        return model

    def __repr__(self) -> str:
        state = f"fitted on {self.n_train_}" if self.net_ is not None else "unfitted"
        return (
            f"ArchSurrogate({self.space.name!r}, features={self.features!r}, "
            f"loss={self.loss!r}, n_models={self.n_models}, {state})"
        )
