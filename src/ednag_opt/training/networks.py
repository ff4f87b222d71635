"""Build a network for any NB201 cell or DARTS genotype, and count its parameters and MACs."""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .archs import is_darts
from .darts_network import DARTSNetwork
from .nb201_network import NB201Network

__all__ = ["build_network", "count_params", "count_flops", "network_cost"]


def build_network(arch: Any, num_classes: int = 10, in_channels: int = 3, **size: Any) -> nn.Module:
    """An :class:`NB201Network` (``C``, ``N``) or :class:`DARTSNetwork` (``C``, ``layers``, ...)."""
    if is_darts(arch):
        return DARTSNetwork(arch, num_classes=num_classes, in_channels=in_channels, **size)
    return NB201Network(arch, num_classes=num_classes, in_channels=in_channels, **size)


def _params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def _macs(model: nn.Module, input_shape: tuple[int, int, int]) -> int:
    """Multiply-accumulates of one forward pass on one image (convs and linear layers)."""
    total = 0

    def conv_hook(mod: nn.Conv2d, _inp: Any, out: torch.Tensor) -> None:
        nonlocal total
        kh, kw = mod.kernel_size
        total += out[0].numel() * (mod.in_channels // mod.groups) * kh * kw

    def linear_hook(mod: nn.Linear, _inp: Any, out: torch.Tensor) -> None:
        nonlocal total
        total += mod.in_features * mod.out_features

    handles = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            handles.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            handles.append(m.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(torch.zeros(1, *input_shape))
    finally:
        for h in handles:
            h.remove()
        model.train(was_training)
    return total


def count_params(arch: Any, num_classes: int = 10, in_channels: int = 3, **size: Any) -> int:
    """Number of trainable parameters of the network built for ``arch``."""
    return _params(build_network(arch, num_classes, in_channels, **size))


def count_flops(
    arch: Any,
    input_size: tuple[int, int] = (32, 32),
    num_classes: int = 10,
    in_channels: int = 3,
    **size: Any,
) -> int:
    """Multiply-accumulates (MACs) of one forward pass on one ``in_channels x H x W`` image.

    Counts convolutions (a ``none`` edge costs nothing) and the linear head; BatchNorm,
    pooling, ReLU and additions are not counted.
    """
    net = build_network(arch, num_classes, in_channels, **size)
    return _macs(net, (in_channels, *input_size))


def network_cost(
    arch: Any,
    input_size: tuple[int, int] = (32, 32),
    num_classes: int = 10,
    in_channels: int = 3,
    **size: Any,
) -> tuple[int, int]:
    """``(params, MACs)`` from one network build."""
    net = build_network(arch, num_classes, in_channels, **size)
    return _params(net), _macs(net, (in_channels, *input_size))
