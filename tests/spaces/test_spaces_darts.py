"""DARTS / NAS-Bench-301: compact and Genotype strings, canonical pairs, repair."""

from __future__ import annotations

import ast
import itertools
import json

import numpy as np
import pytest
import torch

from ednag_opt.spaces import DARTS_OPS, DartsArch, get_space

DARTS_V2 = (
    "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), "
    "('sep_conv_3x3', 1), ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), "
    "('dil_conv_3x3', 2)], normal_concat=[2, 3, 4, 5], reduce=[('max_pool_3x3', 0), "
    "('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), "
    "('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=[2, 3, 4, 5])"
)


@pytest.fixture(scope="module")
def space():
    return get_space("nas-bench-301")


def _sorted_pairs(compact: str) -> str:
    cells = ast.literal_eval(compact)
    out = []
    for cell in cells:
        pairs = [tuple(p) for p in cell]
        out.append([q for k in range(4) for q in sorted(pairs[2 * k : 2 * k + 2])])
    return str(out)


def test_count_matches_brute_force(space):
    per_cell = 1
    for k in range(4):
        pairs = [
            (a, b)
            for a, b in itertools.product(itertools.product(range(k + 2), range(7)), repeat=2)
            if a[0] < b[0]
        ]
        per_cell *= len(pairs)
    assert per_cell == 1_037_664_180
    assert space.num_architectures == per_cell**2 == 1_076_746_950_455_072_400


def test_genotype_round_trip(space):
    arch = space.from_str(DARTS_V2)
    assert arch.normal[:2] == ((0, 3), (1, 3)) and arch.reduce[-2:] == ((1, 0), (2, 2))
    assert arch.normal[4:6] == ((0, 2), (1, 3))  # node 2 sorted by input
    geno = space.to_genotype(arch)
    assert space.from_str(geno) == arch
    assert space.from_str(geno.replace("[2, 3, 4, 5])", "range(2, 6))")) == arch
    assert space.from_str(str(arch)) == arch


def test_shared_sample_parses_and_round_trips(space, data_file):
    path = data_file("nasbench301/zc_nasbench301.json")
    table = json.loads(path.read_text())["cifar10"]
    assert len(table) == 725
    archs = []
    for compact in table:
        arch = space.from_str(compact)
        assert space.is_valid(arch)
        assert space.to_str(arch) == _sorted_pairs(compact)
        assert space.from_str(space.to_str(arch)) == arch
        assert space.from_str(space.to_genotype(arch)) == arch
        archs.append(arch)
    assert space.decode(space.encode(archs)) == archs
    assert len(set(archs)) == 725


def test_op_order_against_parameter_counts(data_file):
    """Pools and skip have no weights in the normal cell; 5x5 convs outweigh 3x3 ones."""
    path = data_file("nasbench301/zc_nasbench301.json")
    table = json.loads(path.read_text())["cifar10"]
    x, y = [], []
    for compact, row in table.items():
        counts = np.zeros(1 + 14)
        counts[0] = 1
        for c, cell in enumerate(ast.literal_eval(compact)):
            for _, op in cell:
                counts[1 + 7 * c + op] += 1
        x.append(counts)
        y.append(row["params"]["score"])
    coef = np.linalg.lstsq(np.array(x), np.array(y), rcond=None)[0][1:8]
    per_op = dict(zip(DARTS_OPS, coef, strict=True))
    for free in ("max_pool_3x3", "avg_pool_3x3", "skip_connect"):
        assert per_op[free] < 0.3 * per_op["dil_conv_3x3"]
    assert per_op["sep_conv_5x5"] > per_op["sep_conv_3x3"] > per_op["dil_conv_3x3"]
    assert per_op["dil_conv_5x5"] > per_op["dil_conv_3x3"]


def test_repair_picks_best_distinct_pair(space):
    x = torch.zeros(1, *space.shape)
    # normal cell, node 1 (edges 2, 3): both input rows prefer input 2
    x[0, 4, :3] = torch.tensor([0.0, 0.5, 3.0])
    x[0, 6, :3] = torch.tensor([0.9, 0.0, 2.0])
    arch = space.decode(x)[0]
    assert [e[0] for e in arch.normal[2:4]] == [0, 2]  # 3.0 + 0.9 beats 0.5 + 2.0
    x[0, 6, :3] = torch.tensor([0.0, 0.0, 2.0])
    x[0, 4, :3] = torch.tensor([0.0, 1.5, 3.0])
    assert [e[0] for e in space.decode(x)[0].normal[2:4]] == [1, 2]


def test_sample_covers_pairs_uniformly(space):
    archs = space.sample(4000, generator=torch.Generator().manual_seed(0))
    node3 = [a.normal[6][0] * 10 + a.normal[7][0] for a in archs]
    freq = np.bincount(node3, minlength=50)[[1, 2, 3, 4, 12, 13, 14, 23, 24, 34]]
    assert freq.sum() == 4000 and freq.min() > 300  # 10 pairs, ~400 each


@pytest.mark.parametrize(
    "bad",
    [
        "[[(0, 0), (0, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
        "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]",  # same input
        "[[(0, 0), (2, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
        "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]",  # input 2 at node 0
        "[[(0, 7), (1, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
        "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]",  # op 7
        "[[(0, 0), (1, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3)], "
        "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]",  # 7 edges
        DARTS_V2.replace("'dil_conv_3x3'", "'none'"),
        DARTS_V2.replace("reduce_concat=[2, 3, 4, 5]", "reduce_concat=[2, 3]"),
        "__import__('os')",
    ],
)
def test_bad_strings(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_str(bad)


def test_non_canonical_arch_is_invalid(space):
    arch = space.from_str(DARTS_V2)
    flipped = DartsArch((arch.normal[1], arch.normal[0], *arch.normal[2:]), arch.reduce)
    assert not space.is_valid(flipped)
    assert space.canonicalize(flipped) == arch
    with pytest.raises(ValueError, match="sorted"):
        space.encode([flipped])
