"""A DARTS-space network (normal + reduction cells) at a configurable size.

Cell inputs are the outputs of the two previous cells, preprocessed to ``C`` channels (a
factorized reduction when the previous-previous output has twice the resolution). Each of the
4 intermediate nodes sums two ops on earlier states; the cell output concatenates all 4
intermediate nodes (4C channels). Reduction cells sit at 1/3 and 2/3 of the depth and double
``C``. DARTS's CIFAR evaluation size is ``C=36, layers=20``; NAS-Bench-301 trains at
``C=32, layers=8``; with ``affine=False`` (no BatchNorm scale/shift inside ops, as in NASLib)
the parameter count equals the ``params`` column of NASLib's NB301 zero-cost table exactly.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn

from .archs import DARTS_OPS, parse_darts
from .ops import FactorizedReduce, ReLUConvBN, darts_op

__all__ = ["DARTSCell", "DARTSNetwork"]


class DARTSCell(nn.Module):
    """One normal or reduction cell of a DARTS genotype."""

    def __init__(
        self,
        pairs: tuple[tuple[int, int], ...],
        c_prev_prev: int,
        c_prev: int,
        c: int,
        reduction: bool,
        reduction_prev: bool,
        affine: bool = True,
    ) -> None:
        super().__init__()
        self.pairs = pairs
        self.reduction = reduction
        if reduction_prev:
            self.pre0: nn.Module = FactorizedReduce(c_prev_prev, c)
        else:
            self.pre0 = ReLUConvBN(c_prev_prev, c, 1)
        self.pre1 = ReLUConvBN(c_prev, c, 1)
        ops = []
        for inp, op in pairs:
            stride = 2 if reduction and inp < 2 else 1
            ops.append(darts_op(DARTS_OPS[op], c, stride, affine))
        self.ops = nn.ModuleList(ops)

    def forward(self, s0: torch.Tensor, s1: torch.Tensor) -> torch.Tensor:
        states = [self.pre0(s0), self.pre1(s1)]
        for node in range(4):
            a, b = 2 * node, 2 * node + 1
            h = self.ops[a](states[self.pairs[a][0]]) + self.ops[b](states[self.pairs[b][0]])
            states.append(h)
        return torch.cat(states[2:], dim=1)


class DARTSNetwork(nn.Module):
    """Stem (3x3 conv, ``stem_multiplier * C`` channels) + ``layers`` cells + pool + linear."""

    def __init__(
        self,
        arch: Any,
        num_classes: int = 10,
        in_channels: int = 3,
        C: int = 16,
        layers: int = 8,
        stem_multiplier: int = 3,
        affine: bool = True,
    ) -> None:
        super().__init__()
        normal, reduce = parse_darts(arch)
        c_curr = stem_multiplier * C
        self.stem = nn.Sequential(
            nn.Conv2d(in_channels, c_curr, 3, padding=1, bias=False), nn.BatchNorm2d(c_curr)
        )
        c_prev_prev, c_prev, c_curr = c_curr, c_curr, C
        self.cells = nn.ModuleList()
        reduction_prev = False
        for i in range(layers):
            reduction = i in (layers // 3, 2 * layers // 3)
            if reduction:
                c_curr *= 2
            cell = DARTSCell(
                reduce if reduction else normal,
                c_prev_prev,
                c_prev,
                c_curr,
                reduction,
                reduction_prev,
                affine,
            )
            self.cells.append(cell)
            reduction_prev = reduction
            c_prev_prev, c_prev = c_prev, 4 * c_curr
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(c_prev, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s0 = s1 = self.stem(x)
        for cell in self.cells:
            s0, s1 = s1, cell(s0, s1)
        return self.classifier(self.pool(s1).flatten(1))
