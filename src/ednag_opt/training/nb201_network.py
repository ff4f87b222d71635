"""The NAS-Bench-201 macro skeleton around a searched cell, sized by ``C`` and ``N``.

stem (3x3 conv + BN) -> N cells (C) -> residual reduction -> N cells (2C) -> residual reduction
-> N cells (4C) -> BN-ReLU -> global average pool -> linear. NB201's own CIFAR size is C=16, N=5.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .archs import parse_nb201
from .ops import ReLUConvBN, nb201_op

__all__ = ["NB201Cell", "ResidualReduction", "NB201Network"]


class NB201Cell(nn.Module):
    """4-node DAG cell: node j = sum over i < j of op_(j,i)(node i); output = node 3.

    ``ops`` are in NB201 edge order (1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2).
    """

    def __init__(self, ops: tuple[str, ...], channels: int) -> None:
        super().__init__()
        self.ops = ops
        self.edges = nn.ModuleList(nb201_op(op, channels) for op in ops)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        nodes = [x]
        k = 0
        for to_node in (1, 2, 3):
            acc = None
            for j in range(to_node):
                if self.ops[k] != "none":  # zero contributes nothing; skip its compute
                    y = self.edges[k](nodes[j])
                    acc = y if acc is None else acc + y
                k += 1
            nodes.append(acc if acc is not None else torch.zeros_like(x))
        return nodes[3]


class ResidualReduction(nn.Module):
    """NB201's basic residual block at stride 2 that doubles the channels."""

    def __init__(self, c_in: int, c_out: int) -> None:
        super().__init__()
        self.conv_a = ReLUConvBN(c_in, c_out, 3, stride=2, padding=1)
        self.conv_b = ReLUConvBN(c_out, c_out, 3, padding=1)
        self.shortcut = nn.Sequential(
            nn.AvgPool2d(2, stride=2, ceil_mode=True),  # ceil: odd sizes match the conv path
            nn.Conv2d(c_in, c_out, 1, bias=False),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_b(self.conv_a(x)) + self.shortcut(x)


class NB201Network(nn.Module):
    """A network of NB201 cells for ``in_channels`` x H x W images and ``num_classes`` classes."""

    def __init__(
        self,
        arch: Any,
        num_classes: int = 10,
        in_channels: int = 3,
        C: int = 16,
        N: int = 5,
    ) -> None:
        super().__init__()
        self.ops = parse_nb201(arch)
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, C, 3, padding=1, bias=False), nn.BatchNorm2d(C)
        )
        layers: list[nn.Module] = []
        c = C
        for stage in range(3):
            if stage > 0:
                layers.append(ResidualReduction(c, 2 * c))
                c *= 2
            layers.extend(NB201Cell(self.ops, c) for _ in range(N))
        self.cells = nn.Sequential(*layers)
        self.lastact = nn.Sequential(nn.BatchNorm2d(c), nn.ReLU(inplace=False))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.lastact(self.cells(self.stem(x)))
        return self.classifier(self.pool(x).flatten(1))
