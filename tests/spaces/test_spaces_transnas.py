"""TransNAS-Bench-101 micro and macro spaces against the benchmark tables."""

from __future__ import annotations

import ast
import csv
import functools

import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ednag_opt.spaces import get_space


@pytest.fixture(scope="module")
def micro():
    return get_space("transnas-micro")


@pytest.fixture(scope="module")
def macro():
    return get_space("transnas-macro")


def _rows(path) -> list[dict[str, str]]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_micro_table(micro, data_file):
    rows = _rows(data_file("transnas-bench-101/tnb101_micro_val_final.csv"))
    assert len(rows) == 4096
    ordered = micro.enumerate()
    for i, row in enumerate(rows):
        arch = micro.from_str(row["arch_str"])
        assert micro.to_str(arch) == row["arch_str"] and ordered[i] == arch
        assert micro.index(arch) == i
        naslib = ast.literal_eval(row["naslib_op_indices"])
        assert micro.to_naslib(arch) == naslib and micro.from_naslib(naslib) == arch


def test_macro_table_equals_enumeration(macro, data_file):
    rows = _rows(data_file("transnas-bench-101/tnb101_macro_val_final.csv"))
    assert len(rows) == 3256
    assert [str(a) for a in macro.enumerate()] == [r["arch_str"] for r in rows]
    for i, row in enumerate(rows):
        arch = macro.from_str(row["arch_str"])
        assert macro.index(arch) == i and macro.to_str(arch) == row["arch_str"]
        naslib = ast.literal_eval(row["naslib_op_indices"])
        assert macro.to_naslib(arch) == naslib and macro.from_naslib(naslib) == arch


def test_macro_rule():
    archs = get_space("transnas-macro").enumerate()
    lengths = [len(a.modules) for a in archs]
    assert (lengths.count(4), lengths.count(5), lengths.count(6)) == (210, 750, 2296)
    for a in archs:
        assert 1 <= sum(m in (3, 4) for m in a.modules) <= 4
        assert 1 <= sum(m in (2, 4) for m in a.modules) <= 3


def test_micro_string_layout(micro):
    arch = micro.from_str("64-41414-3_01_210")
    assert arch.ops == (3, 0, 1, 2, 1, 0)
    assert micro.index(arch) == int("301210", 4)


@pytest.mark.parametrize(
    "bad", ["64-41414-0_00_004", "64-41414-0_0_0000", "64-4141-0_00_000", "32-41414-0_00_000"]
)
def test_micro_bad_strings(micro, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        micro.from_str(bad)


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        ("64-1111-basic", "downsampling"),
        ("64-3333-basic", "channel-doubling"),
        ("64-44441-basic", "downsampling"),
        ("64-111-basic", "4 to 6"),
        ("64-1234123-basic", "4 to 6"),
        ("64-1250-basic", "1..4"),
        ("64-1234-resnet", "basic"),
    ],
)
def test_macro_bad_strings(macro, bad, why):
    with pytest.raises(ValueError, match=why):
        macro.from_str(bad)


def test_macro_encoding_layout(macro):
    arch = macro.from_str("64-1324-basic")
    x = macro.encode([arch])[0]
    assert x[0].argmax() == 0  # length 4
    assert x[1:5].argmax(1).tolist() == [0, 2, 1, 3]
    assert x[5:].argmax(1).tolist() == [0, 0]  # unused rows: canonical digit 1


@functools.cache
def _macro_scoring() -> tuple[torch.Tensor, torch.Tensor]:
    macro = get_space("transnas-macro")
    archs = macro.enumerate()
    lengths = torch.tensor([len(a.modules) for a in archs])
    onehot = macro.encode(archs)[:, 1:, :]
    onehot *= (torch.arange(6)[None, :] < lengths[:, None])[..., None]  # active rows only
    return lengths, onehot


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_macro_decode_is_map_given_the_argmax_length(seed):
    macro = get_space("transnas-macro")
    lengths, onehot = _macro_scoring()
    x = torch.randn(1, *macro.shape, generator=torch.Generator().manual_seed(seed))
    x[0, 1:, 2:] -= 1.5  # favour skeletons without downsampling: often invalid argmax
    got = macro.decode(x)[0]
    length = int(x[0, 0, :3].argmax()) + 4
    score = (onehot * x[0, 1:]).sum((1, 2)).masked_fill(lengths != length, -float("inf"))
    assert len(got.modules) == length
    assert score[macro.index(got)] == pytest.approx(score.max().item(), abs=1e-5)
