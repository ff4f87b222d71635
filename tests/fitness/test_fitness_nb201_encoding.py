"""NB201 key conversions (op codes, NASLib tuples) and dataset names."""

from __future__ import annotations

import csv

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ednag_opt.fitness.nb201_encoding import (
    NB201_OPS,
    all_arch_strings,
    arch_str_from_code,
    arch_str_from_naslib,
    code_from_arch_str,
    naslib_from_arch_str,
    resolve_dataset,
)

ROW0 = (
    "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|"
    "+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
)

codes = st.text(alphabet="01234", min_size=6, max_size=6)


def test_known_conversions():
    assert naslib_from_arch_str(ROW0) == (4, 3, 3, 0, 0, 0)
    assert arch_str_from_naslib((4, 3, 3, 0, 0, 0)) == ROW0
    assert code_from_arch_str(ROW0) == "421211"
    assert arch_str_from_code("421211") == ROW0


@given(codes)
def test_round_trips(code):
    s = arch_str_from_code(code)
    assert code_from_arch_str(s) == code
    assert arch_str_from_naslib(naslib_from_arch_str(s)) == s


def test_all_strings_unique_and_complete():
    strings = all_arch_strings()
    assert len(strings) == len(set(strings)) == 5**6
    assert strings[0] == "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
    assert all(op in NB201_OPS for op in ("none", "avg_pool_3x3"))


def test_naslib_tuples_match_the_merged_csv(data_file):
    path = data_file("nasbench201/nb201_merged_200ep.csv")
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows[::97]:
        assert str(naslib_from_arch_str(r["arch_str"])) == r["naslib_op_indices"]


@pytest.mark.parametrize("bad", ["", "|none~0|", ROW0.replace("~1", "~2"), ROW0 + "+|x~0|"])
def test_invalid_strings_rejected(bad):
    with pytest.raises(ValueError, match="invalid NAS-Bench-201"):
        code_from_arch_str(bad)


def test_invalid_codes_rejected():
    with pytest.raises(ValueError):
        arch_str_from_code("12345")
    with pytest.raises(ValueError):
        arch_str_from_code("123456")
    with pytest.raises(ValueError):
        arch_str_from_naslib((0, 0, 0, 0, 0, 5))


def test_dataset_names():
    assert resolve_dataset("cifar10-valid") == "cifar10"
    assert resolve_dataset("ImageNet16-120") == "ImageNet16-120"
    assert resolve_dataset("imagenet") == "ImageNet16-120"
    with pytest.raises(ValueError, match="valid: \\['cifar10', 'cifar100', 'ImageNet16-120'\\]"):
        resolve_dataset("svhn")
