"""Network shapes, parameter counts and MACs against published NB201 / NB301 figures."""

from __future__ import annotations

import json

import pytest
import torch

from ednag_opt.training import (
    DARTSNetwork,
    NB201Network,
    build_network,
    count_flops,
    count_params,
    network_cost,
)
from ednag_opt.training.archs import DARTS_OPS, nb201_string

NONE = nb201_string([0] * 6)
CONV3 = nb201_string([3] * 6)
GENO = [[(0, 3), (1, 3), (0, 5), (2, 4), (1, 0), (3, 1), (4, 2), (0, 6)]] * 2


@pytest.mark.parametrize("cell", [NONE, CONV3, nb201_string([1, 2, 4, 0, 3, 1])])
def test_nb201_output_shape_small(cell: str) -> None:
    net = NB201Network(cell, num_classes=7, in_channels=1, C=8, N=1)
    assert net(torch.randn(5, 1, 8, 8)).shape == (5, 7)
    assert net(torch.randn(2, 1, 14, 14)).shape == (2, 7)  # odd sizes after the first reduction


def test_nb201_param_counts_match_nb201_at_cifar_size() -> None:
    # NAS-Bench-201 model sizes (C=16, N=5, 10 classes): 0.073306 M / 1.531546 M params.
    assert count_params(NONE, 10, 3, C=16, N=5) == 73_306
    assert count_params(CONV3, 10, 3, C=16, N=5) == 1_531_546
    assert count_params(nb201_string([2] * 6), 10, 3, C=16, N=5) == 241_306
    # NB201's largest cell costs 220.11968 M multiply-accumulates on a 32x32 image
    assert count_flops(CONV3, (32, 32), 10, 3, C=16, N=5) == 220_119_680
    params, macs = network_cost(NONE, (32, 32), C=16, N=5)
    assert params == 73_306 and macs < count_flops(CONV3, (32, 32), C=16, N=5)


def test_small_nb201_counts() -> None:
    none_p = count_params(NONE, 10, 1, C=8, N=1)
    conv_p = count_params(CONV3, 10, 1, C=8, N=1)
    # all-conv3x3 adds 6 ReLU-Conv3x3-BN per cell: 6 * (9c^2 + 2c) for c = 8, 16, 32
    assert conv_p - none_p == sum(6 * (9 * c * c + 2 * c) for c in (8, 16, 32))
    assert count_flops(NONE, (8, 8), 10, 1, C=8, N=1) < count_flops(CONV3, (8, 8), 10, 1, C=8)


def test_darts_output_shape_and_every_op() -> None:
    for op in range(len(DARTS_OPS)):
        geno = [[(0, op), (1, op)] * 4, [(0, op), (1, op)] * 4]
        net = build_network(geno, num_classes=3, in_channels=1, C=4, layers=3)
        assert isinstance(net, DARTSNetwork)
        assert net(torch.randn(2, 1, 8, 8)).shape == (2, 3)
    assert count_flops(GENO, (8, 8), 10, 1, C=4, layers=3) > 0


def test_darts_params_match_nb301(data_file) -> None:
    table = json.loads(data_file("nasbench301/zc_nasbench301.json").read_text())["cifar10"]
    for rec in list(table.values())[:8]:
        n = count_params(rec["arch"], 10, 3, C=32, layers=8, affine=False)
        assert n == round(rec["params"]["score"] * 1e6)
