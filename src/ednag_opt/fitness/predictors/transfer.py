"""A predictor meta-trained on related tasks, adapted to a new task from its first queries.

:class:`PriorSurrogate` learns, from the (architecture, value) tables of related tasks
(other datasets or tasks over the same space), which architectures tend to be good. It is
an ensemble of small MLPs over the space's one-hot encoding trained with a pairwise
ranking loss *within* each task (only the order of a task's values matters, so tasks with
different metrics and scales pool without rescaling). Two variants share data and loss:

- ``conditioned=True``: one output head per prior task. A new task is conditioned on its
  own real queries: :meth:`PriorSurrogate.adapt` weighs the heads (uniformly before any
  query) so that the tasks whose order agrees with the new task's queries count more:
  RGPE-style by default, or fitted with the ranking loss (``task_weights="fit"``; see
  :mod:`~ednag_opt.fitness.predictors.transfer_adapt`).
- ``conditioned=False`` (the blind twin): one head for all tasks; no task identity.

:meth:`~PriorSurrogate.adapt` returns an :class:`AdaptedSurrogate`: the (weighted) prior
score, times a learned gain, plus a small residual ensemble fitted with the same ranking
loss on the new task's queries. Before any query it is the prior itself, so the first
architecture proposed is the prior's argmax. The held-out task's values enter only
``adapt``, never ``fit``.

``fit`` / ``predict`` / ``save`` / ``load`` follow scikit-learn's pattern: meta-train once,
save, and search many tasks with the loaded model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ednag_opt._io import atomic_open
from ednag_opt.fitness._io import load_model_doc
from ednag_opt.fitness.predictors.ofa import resolve_device
from ednag_opt.fitness.predictors.transfer_adapt import (
    TASK_WEIGHTS,
    AdaptedSurrogate,
    _MLPs,
)
from ednag_opt.spaces import SearchSpace, get_space

__all__ = ["PriorSurrogate", "AdaptedSurrogate"]

_FORMAT = "ednag_opt.PriorSurrogate"


def _tasks(tasks: Any) -> list[tuple[list[Any], np.ndarray]]:
    if isinstance(tasks, dict):
        tasks = list(tasks.values())
    out = []
    for i, t in enumerate(tasks):
        if not (isinstance(t, tuple | list) and len(t) == 2):
            raise TypeError(f"task {i} must be an (architectures, values) pair, got {type(t)}")
        archs, y = list(t[0]), np.asarray(t[1], dtype=np.float64)
        if y.ndim != 1 or len(y) != len(archs):
            raise ValueError(f"task {i}: {len(archs)} architectures but values of shape {y.shape}")
        keep = np.isfinite(y)
        if keep.sum() < 2 or np.ptp(y[keep]) == 0:
            raise ValueError(f"task {i} needs at least 2 finite, different values")
        out.append(([a for a, k in zip(archs, keep) if k], y[keep]))
    if not out:
        raise ValueError("fit needs at least one prior task")
    return out


class PriorSurrogate:
    """Ranking-MLP ensemble meta-trained on related tasks (see the module docstring).

    Args:
        space: search space (name or object) whose one-hot encoding is the input.
        conditioned: one head per prior task, mixed per new task (``True``), or one
            pooled head (``False``, the blind twin).
        n_models: ensemble members.
        hidden: width of the two hidden layers.
        epochs: Adam steps of meta-training.
        pairs: pairs drawn per task, member and step.
        lr: Adam's learning rate; weight_decay: its L2 penalty.
        top_weight: a pair weighs ``exp(top_weight * q)``, ``q`` the better member's
            within-task quantile, so the order among good architectures counts more.
        adapt_epochs: Adam steps of :meth:`adapt`.
        residual_hidden: width of the residual ensemble fitted in :meth:`adapt` (0: a
            linear model of the one-hot encoding, i.e. additive op effects).
        residual_decay: L2 penalty of that residual (larger: trust the prior longer).
        adapt_gain: learn the prior's weight against the residual in :meth:`adapt`
            (``False``: fixed at 1).
        residual: fit a residual ensemble in :meth:`adapt` (``False``: only the mixture
            weights and the gain are adapted).
        task_weights: how :meth:`adapt` weighs the heads: ``"fit"`` (ranking loss) or
            ``"rgpe"`` (share of bootstrap resamples of the queries each head ranks best;
            see :mod:`~ednag_opt.fitness.predictors.transfer_adapt`).
        residual_n0: with ``n`` queries the residual's penalty is ``residual_decay *
            min(1, residual_n0 / n)`` (``None``: constant).
        seed: seed of initialisation and pair sampling.
        device: ``None`` (CPU), ``"auto"`` or a torch device.

    Raises:
        ValueError: on a non-positive size or an unknown ``task_weights``.
    """

    def __init__(
        self,
        space: str | SearchSpace = "nas-bench-201",
        *,
        conditioned: bool = True,
        n_models: int = 5,
        hidden: int = 64,
        epochs: int = 300,
        pairs: int = 1024,
        lr: float = 1e-2,
        weight_decay: float = 1e-4,
        top_weight: float = 2.0,
        adapt_epochs: int = 100,
        residual_hidden: int = 32,
        residual_decay: float = 0.1,
        adapt_gain: bool = True,
        residual: bool = True,
        task_weights: str = "rgpe",
        residual_n0: float | None = 10.0,
        seed: int = 0,
        device: str | torch.device | None = None,
    ) -> None:
        if min(n_models, hidden, epochs, pairs, adapt_epochs) < 1 or residual_hidden < 0:
            raise ValueError("n_models, hidden, epochs, pairs and adapt_epochs must be >= 1, "
                             "residual_hidden >= 0")  # fmt: skip
        if task_weights not in TASK_WEIGHTS:
            raise ValueError(f"task_weights must be one of {TASK_WEIGHTS}, got {task_weights!r}")
        if residual_n0 is not None and not residual_n0 > 0:
            raise ValueError(f"residual_n0 must be > 0 or None, got {residual_n0!r}")
        self.task_weights, self.residual_n0 = task_weights, residual_n0
        self.space = get_space(space) if isinstance(space, str) else space
        self.conditioned = bool(conditioned)
        self.n_models, self.hidden, self.epochs = int(n_models), int(hidden), int(epochs)
        self.pairs, self.lr, self.weight_decay = int(pairs), float(lr), float(weight_decay)
        self.top_weight, self.adapt_epochs = float(top_weight), int(adapt_epochs)
        self.residual_hidden, self.residual_decay = int(residual_hidden), float(residual_decay)
        self.seed, self.adapt_gain, self.residual = int(seed), bool(adapt_gain), bool(residual)
        self.device = resolve_device(device)
        self.net_: _MLPs | None = None
        self.stats_: torch.Tensor | None = None  # (M, K, 2): mean, std of each head
        self.n_tasks_ = 0

    def _x(self, archs: Sequence[Any]) -> torch.Tensor:
        x = self.space.encode(list(archs))
        return x.reshape(x.shape[0], -1).float().to(self.device)

    # ---------------------------------------------------------------------- training
    def fit(self, tasks: Sequence[tuple[Sequence[Any], Any]] | dict[str, Any]) -> PriorSurrogate:
        """Meta-train on related tasks.

        Args:
            tasks: ``(architectures, values)`` pairs (or a dict of them), one per task,
                values larger-is-better (flip the sign of minimised metrics), or fitness
                sources (see :func:`~ednag_opt.fitness.predictors.prior_tables`).
                Non-finite values are dropped.

        Returns:
            ``self``.

        Raises:
            TypeError, ValueError: on malformed tasks.
        """
        if not isinstance(tasks, dict) and any(callable(t) for t in tasks):
            from ednag_opt.fitness.predictors.prior_tasks import prior_tables

            tasks = prior_tables(list(tasks), self.space)  # fitness sources -> tables
        data = _tasks(tasks)
        g = torch.Generator().manual_seed(self.seed)
        xs = [self._x(a) for a, _ in data]
        ys = [torch.as_tensor(y, dtype=torch.float32, device=self.device) for _, y in data]
        k = len(data) if self.conditioned else 1
        m = self.n_models
        net = _MLPs(m, xs[0].shape[1], self.hidden, k, g).to(self.device)
        opt = torch.optim.Adam(net.parameters(), lr=self.lr, weight_decay=self.weight_decay)
        quant = [(torch.argsort(torch.argsort(y)).float() + 0.5) / len(y) for y in ys]
        for _ in range(self.epochs):
            opt.zero_grad(set_to_none=True)
            loss = 0.0
            for t, (x, y) in enumerate(zip(xs, ys)):
                i, j = torch.randint(len(y), (2, m, self.pairs), generator=g).to(self.device)
                head = t if self.conditioned else 0
                p = net(torch.cat([x[i], x[j]], dim=1))[:, :, head]  # (M, 2P)
                d = p[:, : self.pairs] - p[:, self.pairs :]
                s = torch.sign(y[i] - y[j])
                w = (s != 0) * torch.exp(self.top_weight * torch.maximum(quant[t][i], quant[t][j]))
                loss = loss + (w * nn.functional.softplus(-s * d)).sum() / w.sum().clamp_min(1)
            (loss / len(xs)).backward()
            opt.step()
        with torch.no_grad():  # standardise each head over the prior architectures
            s = net(torch.cat(xs))  # (M, N, K)
            self.stats_ = torch.stack([s.mean(dim=1), s.std(dim=1).clamp_min(1e-6)], dim=2)
        self.net_, self.n_tasks_ = net, len(data)
        return self

    # -------------------------------------------------------------------- prediction
    def predict_heads(self, archs: Sequence[Any]) -> torch.Tensor:
        """Standardised scores of every member and head, ``(M, K, N)`` float32.

        Raises:
            RuntimeError: if not fitted.
        """
        if self.net_ is None or self.stats_ is None:
            raise RuntimeError("PriorSurrogate is not fitted: call fit() or load() first")
        archs = list(archs)
        if not archs:
            return torch.empty(self.n_models, self.stats_.shape[1], 0, device=self.device)
        with torch.no_grad():
            s = self.net_(self._x(archs))  # (M, N, K)
            z = (s - self.stats_[:, None, :, 0]) / self.stats_[:, None, :, 1]
        return z.permute(0, 2, 1)

    def predict(self, archs: Sequence[Any]) -> np.ndarray:
        """Prior score (uniform mixture of the heads, ensemble mean): larger is better."""
        return self.predict_heads(archs).mean(dim=(0, 1)).double().cpu().numpy()

    def adapt(self, archs: Sequence[Any], y: Any, *, seed: int = 0) -> AdaptedSurrogate:
        """Condition the prior on a new task's real queries.

        Args:
            archs: the new task's queried architectures (may be empty).
            y: their values, larger-is-better; non-finite ones are ignored.
            seed: seed of the residual ensemble.

        Returns:
            An :class:`AdaptedSurrogate` scoring architectures for the new task.
        """
        archs = list(archs)
        yt = torch.as_tensor(np.asarray(y, dtype=np.float64).reshape(-1), dtype=torch.float32)
        if len(yt) != len(archs):
            raise ValueError(f"adapt got {len(archs)} architectures and {len(yt)} values")
        keep = torch.isfinite(yt)
        archs = [a for a, k in zip(archs, keep.tolist()) if k]
        yt = yt[keep].to(self.device)
        model = AdaptedSurrogate(self, seed)
        if len(archs) >= 2 and float(yt.max() - yt.min()) > 0:
            model._fit(self._x(archs), self.predict_heads(archs), yt)
        return model

    # ------------------------------------------------------------------- persistence
    def get_params(self) -> dict[str, Any]:
        """Constructor arguments (space by name)."""
        return {
            "space": self.space.name, "conditioned": self.conditioned,
            "n_models": self.n_models, "hidden": self.hidden, "epochs": self.epochs,
            "pairs": self.pairs, "lr": self.lr, "weight_decay": self.weight_decay,
            "top_weight": self.top_weight, "adapt_epochs": self.adapt_epochs,
            "residual_hidden": self.residual_hidden, "residual_decay": self.residual_decay,
            "seed": self.seed, "adapt_gain": self.adapt_gain, "residual": self.residual,
            "task_weights": self.task_weights, "residual_n0": self.residual_n0,
        }  # fmt: skip

    def save(self, path: str | Path) -> Path:
        """Write parameters and weights to a torch file (atomically); returns the path.

        Raises:
            RuntimeError: if not fitted.
        """
        if self.net_ is None or self.stats_ is None:
            raise RuntimeError("PriorSurrogate is not fitted: nothing to save")
        path = Path(path)
        doc = {
            "format": _FORMAT, "params": self.get_params(), "n_tasks": self.n_tasks_,
            "state": {k: v.cpu() for k, v in self.net_.state_dict().items()},
            "stats": self.stats_.cpu(), "n_in": int(self.net_.w1.shape[1]),
        }  # fmt: skip
        with atomic_open(path, "wb") as fh:
            torch.save(doc, fh)
        return path

    @classmethod
    def load(cls, path: str | Path, *, space: SearchSpace | None = None,
             device: str | torch.device | None = None) -> PriorSurrogate:  # fmt: skip
        """Read a model written by :meth:`save`.

        Raises:
            ValueError: naming the file when it is unreadable or not such a model.
        """
        doc = load_model_doc(path, _FORMAT, "PriorSurrogate")
        try:
            params = dict(doc["params"])
            if space is not None:
                params["space"] = space
            model = cls(**params, device=device)
            k = int(doc["n_tasks"]) if model.conditioned else 1
            net = _MLPs(model.n_models, int(doc["n_in"]), model.hidden, k,
                        torch.Generator().manual_seed(0))  # fmt: skip
            net.load_state_dict(doc["state"])
            stats = doc["stats"].float()
            n_tasks = int(doc["n_tasks"])
        except (KeyError, TypeError, ValueError, RuntimeError, AttributeError) as exc:
            raise ValueError(f"{path}: malformed PriorSurrogate file ({exc})") from None
        model.net_, model.stats_ = net.to(model.device), stats.to(model.device)
        model.n_tasks_ = n_tasks
        return model

    def __repr__(self) -> str:
        state = f"fitted on {self.n_tasks_} tasks" if self.net_ is not None else "unfitted"
        kind = "conditioned" if self.conditioned else "blind"
        return f"PriorSurrogate({self.space.name!r}, {kind}, n_models={self.n_models}, {state})"
