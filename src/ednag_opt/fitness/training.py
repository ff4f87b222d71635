"""Fitness by training each architecture from scratch on a real task (validation accuracy)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import torch

from ednag_opt._device import resolve_device

from ..training.archs import NB201_OPS, arch_string, nb201_string
from ..training.networks import count_flops
from ..training.tasks import Task, get_task
from ..training.trainer import TrainConfig, TrainResult, train_architecture
from .base import FitnessSource

__all__ = ["ArchFitness", "TrainingFitness", "decode_nb201", "resolve_device"]


def decode_nb201(x: torch.Tensor) -> list[str]:
    """NB201 strings from ``(P, 6, 5)`` scores (argmax over the 5 ops) or ``(P, 6)`` op indices."""
    if x.ndim == 3 and x.shape[1:] == (6, len(NB201_OPS)):
        idx = x.argmax(dim=-1)
    elif x.ndim == 2 and x.shape[1] == 6:
        idx = x.long()
    else:
        raise ValueError(f"expected (P, 6, 5) or (P, 6) tensor, got {tuple(x.shape)}")
    return [nb201_string(row.tolist()) for row in idx]


class ArchFitness(FitnessSource):
    """Base for per-architecture fitness with a cache keyed by canonical arch string.

    ``fitness(archs)`` takes a list of NB201 cells / DARTS genotypes (strings or objects whose
    ``str()`` is the encoding) or an NB201 tensor accepted by :func:`decode_nb201`, and returns
    a float64 tensor (higher is better).
    """

    name = "arch_fitness"
    maximize = True

    def __init__(self) -> None:
        self._cache: dict[str, float] = {}
        self.n_evaluated = 0  # distinct architectures scored (cache misses)

    def _score(self, arch: Any) -> float:
        raise NotImplementedError

    def score(self, arch: Any) -> float:
        """Fitness of one architecture (cached)."""
        key = arch_string(arch)
        if key not in self._cache:
            self._cache[key] = float(self._score(key))
            self.n_evaluated += 1
        return self._cache[key]

    def __call__(self, archs: Iterable[Any] | torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        if isinstance(archs, torch.Tensor):
            archs = decode_nb201(archs)
        return torch.tensor([self.score(a) for a in archs], dtype=torch.float64)

    @property
    def cache(self) -> dict[str, float]:
        """A copy of the cached scores, by canonical arch string."""
        return dict(self._cache)


class TrainingFitness(ArchFitness):
    """Validation accuracy (fraction in [0, 1]) after training from scratch on ``task``.

    Args:
        task: a :class:`~ednag_opt.training.tasks.Task` or a registered task name.
        epochs, min_steps: training epochs per architecture, extended to >= ``min_steps`` steps.
        C, N: NB201 network width and cells per stage (DARTS: ``C`` and ``layers``).
        batch_size, lr, weight_decay: SGD protocol (see :class:`TrainConfig`).
        seed: initialisation and sample-order seed; the same arch and seed give the same number.
        device: ``"cpu"`` (or ``None``), ``"cuda"``, a ``torch.device``, or ``"auto"``.
        layers: DARTS network depth.
    """

    def __init__(
        self,
        task: Task | str,
        epochs: int = 2,
        *,
        min_steps: int = 30,
        C: int = 8,
        N: int = 1,
        layers: int = 5,
        batch_size: int = 64,
        lr: float = 0.1,
        weight_decay: float = 5e-4,
        seed: int = 0,
        device: str | torch.device | None = "cpu",
    ) -> None:
        super().__init__()
        self.task = get_task(task) if isinstance(task, str) else task
        self.device = resolve_device(device)
        self.config = TrainConfig(
            epochs=epochs,
            min_steps=min_steps,
            batch_size=batch_size,
            lr=lr,
            weight_decay=weight_decay,
            seed=seed,
            size=(("C", C), ("N", N), ("layers", layers)),
        )
        self._results: dict[str, TrainResult] = {}
        self.train_seconds = 0.0  # total wall time spent training (cache misses only)

    name = "training"
    metrics = {"test_accuracy": True, "train_accuracy": True, "params": False, "macs": False}

    def _score(self, arch: Any) -> float:
        return self.result(arch).val_accuracy

    def query(self, archs: Any, metric: str | None = None) -> torch.Tensor:
        """Fitness (``None``) or one of :attr:`metrics` for a batch (trains where needed)."""
        if metric is None:
            return self(archs)
        if isinstance(archs, torch.Tensor):
            archs = decode_nb201(archs)
        if metric not in self.metrics:
            return super().query(archs, metric)
        vals = [self._metric(a, metric) for a in archs]
        return torch.tensor(vals, dtype=torch.float64)

    def _metric(self, arch: Any, metric: str) -> float:
        if metric == "macs":
            size = self.config.size_for(arch)
            t = self.task
            return float(count_flops(arch, t.image_size, t.num_classes, t.channels, **size))
        res = self.result(arch)
        return float(res.params if metric == "params" else getattr(res, metric))

    def result(self, arch: Any) -> TrainResult:
        """Full :class:`TrainResult` of ``arch`` (trains it once if needed)."""
        key = arch_string(arch)
        if key not in self._results:
            res = train_architecture(key, self.task, self.config, self.device)
            self._results[key] = res
            self.train_seconds += res.train_time
        return self._results[key]

    def test_accuracy(self, arch: Any) -> float:
        """Test accuracy of ``arch`` (for reporting only; never used as fitness)."""
        return self.result(arch).test_accuracy

    def results(self) -> list[TrainResult]:
        """All results so far, in training order."""
        return list(self._results.values())

    @property
    def n_trained(self) -> int:
        """Architectures trained so far, whichever method asked for them (``n_evaluated``
        counts only fitness calls)."""
        return len(self._results)
