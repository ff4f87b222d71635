"""Zero-cost proxies (NASWOT, synflow) on the training task suite, and their rank correlation.

* NASWOT (Mellor et al., 2021): for a batch of N training images, each ReLU unit gives a binary
  code per image (pre-activation > 0). ``K[i, j]`` counts the units on which images i and j
  agree; the score is ``log det(K)``. We add the identity (``log det(K + I)``) so that cells
  whose codes are degenerate (e.g. an all-``none`` cell) get a finite, low score.
* synflow (Tanaka et al., 2020): with all weights replaced by their absolute values and
  BatchNorm in eval mode, ``R = sum(f(1))`` on an all-ones input; the score is
  ``log(sum |theta * dR/dtheta|)`` (in float64).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import torch
from scipy.stats import spearmanr
from torch import nn

from ..training.networks import build_network
from ..training.tasks import Task, get_task
from .training import ArchFitness, resolve_device

__all__ = ["naswot_score", "synflow_score", "ProxyFitness", "PROXIES", "spearman"]


def _net(arch: Any, task: Task, seed: int, size: dict[str, Any], device: torch.device):
    torch.manual_seed(seed)
    return build_network(arch, task.num_classes, task.channels, **size).to(device)


def _batch(task: Task, batch_size: int, seed: int) -> torch.Tensor:
    data = task.load()
    gen = torch.Generator().manual_seed(seed)
    idx = torch.randperm(len(data.y_train), generator=gen)[:batch_size]
    return data.x_train[idx]


def naswot_score(
    arch: Any,
    task: Task | str,
    batch_size: int = 64,
    seed: int = 0,
    device: str | torch.device | None = "cpu",
    **size: Any,
) -> float:
    """``log det(K + I)`` of the binary ReLU-code kernel at initialisation (higher is better)."""
    task = get_task(task) if isinstance(task, str) else task
    dev = resolve_device(device)
    net = _net(arch, task, seed, size or {"C": 8, "N": 1}, dev)
    x = _batch(task, batch_size, seed).to(dev)
    n = len(x)
    kernel = torch.zeros(n, n, dtype=torch.float64, device=dev)

    def hook(_mod: nn.Module, inp: tuple[torch.Tensor, ...], _out: torch.Tensor) -> None:
        codes = (inp[0].reshape(n, -1) > 0).double()
        kernel.add_(codes @ codes.T + (1.0 - codes) @ (1.0 - codes).T)

    handles = [m.register_forward_hook(hook) for m in net.modules() if isinstance(m, nn.ReLU)]
    try:
        with torch.no_grad():
            net.train()
            net(x)
    finally:
        for h in handles:
            h.remove()
    _, logdet = torch.linalg.slogdet(kernel + torch.eye(n, dtype=torch.float64, device=dev))
    return float(logdet)


def synflow_score(
    arch: Any,
    task: Task | str,
    seed: int = 0,
    device: str | torch.device | None = "cpu",
    **size: Any,
) -> float:
    """``log`` of the synaptic-flow saliency summed over all parameters (higher is better)."""
    task = get_task(task) if isinstance(task, str) else task
    dev = resolve_device(device)
    net = _net(arch, task, seed, size or {"C": 8, "N": 1}, dev).double()
    net.eval()
    with torch.no_grad():
        for p in net.parameters():
            p.abs_()
    h, w = task.image_size
    out = net(torch.ones(1, task.channels, h, w, dtype=torch.float64, device=dev))
    out.sum().backward()
    with torch.no_grad():
        total = sum(float((p * p.grad).abs().sum()) for p in net.parameters() if p.grad is not None)
    return math.log(max(total, 1e-300))


PROXIES = {"naswot": naswot_score, "synflow": synflow_score}


class ProxyFitness(ArchFitness):
    """A zero-cost proxy as fitness on ``task`` (same call convention as ``TrainingFitness``).

    Args:
        task: a task or a registered task name.
        proxy: ``"naswot"`` or ``"synflow"``.
        seed: seed of the initial weights (and of the NASWOT batch).
        device: ``"cpu"`` (or ``None``), ``"cuda"``, or ``"auto"`` (CUDA when available).
        size: network size, as for training (default ``C=8, N=1``).
    """

    def __init__(
        self,
        task: Task | str,
        proxy: str = "naswot",
        seed: int = 0,
        device: str | torch.device | None = "cpu",
        **size: Any,
    ) -> None:
        super().__init__()
        self.name = f"proxy_{proxy}"
        if proxy not in PROXIES:
            raise ValueError(f"unknown proxy {proxy!r}; choose from {sorted(PROXIES)}")
        self.task = get_task(task) if isinstance(task, str) else task
        self.proxy = proxy
        self.seed = seed
        self.device = resolve_device(device)
        self.size = size

    def _score(self, arch: Any) -> float:
        return PROXIES[self.proxy](arch, self.task, seed=self.seed, device=self.device, **self.size)


def spearman(scores: Sequence[float], accuracies: Sequence[float]) -> float:
    """Spearman rank correlation (scipy) of proxy scores with trained accuracies.

    NaN when either sequence is constant (the correlation is undefined).
    """
    a, b = np.asarray(scores, float), np.asarray(accuracies, float)
    if len(a) < 2 or np.all(a == a[0]) or np.all(b == b[0]):
        return float("nan")
    return float(spearmanr(a, b).statistic)
