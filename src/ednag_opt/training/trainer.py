"""Train one architecture from scratch on a task with a fixed, seeded protocol."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from .archs import arch_string, is_darts
from .networks import build_network
from .tasks import Task, get_task

__all__ = ["TrainConfig", "TrainResult", "train_architecture", "evaluate_accuracy"]


@dataclass(frozen=True)
class TrainConfig:
    """Training protocol. ``size`` holds the network size (``C``/``N`` or ``C``/``layers``).

    Defaults: SGD (Nesterov momentum 0.9), cosine learning rate from ``lr`` to 0 over all steps,
    weight decay 5e-4, batch size 64, no augmentation. Training runs ``epochs`` passes over the
    train split, extended to at least ``min_steps`` SGD steps so that small tasks still train.
    The sample order and the initial weights are drawn from ``seed`` alone, so the same
    architecture and seed give the same numbers.
    """

    epochs: int = 2
    min_steps: int = 30
    batch_size: int = 64
    lr: float = 0.1
    momentum: float = 0.9
    weight_decay: float = 5e-4
    seed: int = 0
    size: tuple[tuple[str, Any], ...] = (("C", 8), ("N", 1))

    def size_for(self, arch: Any) -> dict[str, Any]:
        """Network size for ``arch`` (DARTS defaults to ``C=8, layers=5`` when unset)."""
        size = dict(self.size)
        if is_darts(arch):
            size.pop("N", None)
            size.setdefault("layers", 5)
        else:
            size.pop("layers", None)
        return size


@dataclass(frozen=True)
class TrainResult:
    """Accuracies are fractions in [0, 1]; ``train_time`` is seconds of training + evaluation."""

    arch: str
    task: str
    val_accuracy: float
    test_accuracy: float
    train_accuracy: float
    train_time: float
    params: int


@torch.no_grad()
def evaluate_accuracy(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch_size: int = 512
) -> float:
    """Top-1 accuracy of ``model`` (in eval mode) on ``(x, y)``."""
    model.eval()
    correct = 0
    for i in range(0, len(y), batch_size):
        out = model(x[i : i + batch_size])
        correct += int((out.argmax(1) == y[i : i + batch_size]).sum())
    return correct / max(len(y), 1)


def train_architecture(
    arch: Any,
    task: Task | str,
    config: TrainConfig | None = None,
    device: str | torch.device = "cpu",
) -> TrainResult:
    """Train ``arch`` on ``task``'s train split; report train/val/test accuracy."""
    cfg = config or TrainConfig()
    task = get_task(task) if isinstance(task, str) else task
    data = task.load()
    dev = torch.device(device)
    start = time.perf_counter()
    torch.manual_seed(cfg.seed)
    model = build_network(arch, task.num_classes, task.channels, **cfg.size_for(arch)).to(dev)
    params = sum(p.numel() for p in model.parameters())
    x_train, y_train = data.x_train.to(dev), data.y_train.to(dev)
    n = len(y_train)
    if n < 2:
        raise ValueError("training needs at least 2 training samples")
    steps_per_epoch = math.ceil(n / cfg.batch_size)
    total_steps = max(cfg.epochs * steps_per_epoch, cfg.min_steps, 1)
    opt = torch.optim.SGD(
        model.parameters(),
        lr=cfg.lr,
        momentum=cfg.momentum,
        weight_decay=cfg.weight_decay,
        nesterov=cfg.momentum > 0,
    )
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: 0.5 * (1.0 + math.cos(math.pi * min(s, total_steps) / total_steps))
    )
    gen = torch.Generator().manual_seed(cfg.seed)
    loss_fn = nn.CrossEntropyLoss()
    step = 0
    model.train()
    while step < total_steps:
        order = torch.randperm(n, generator=gen).to(dev)
        for i in range(0, n, cfg.batch_size):
            idx = order[i : i + cfg.batch_size]
            if len(idx) < 2 or step >= total_steps:  # BatchNorm needs >1 sample
                continue
            loss = loss_fn(model(x_train[idx]), y_train[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            step += 1
    train_acc = evaluate_accuracy(model, x_train, y_train)
    val_acc = evaluate_accuracy(model, data.x_val.to(dev), data.y_val.to(dev))
    test_acc = evaluate_accuracy(model, data.x_test.to(dev), data.y_test.to(dev))
    elapsed = time.perf_counter() - start
    return TrainResult(arch_string(arch), task.name, val_acc, test_acc, train_acc, elapsed, params)
