"""Parsing of NB201 cells and DARTS genotypes."""

from __future__ import annotations

import pytest

from ednag_opt.training.archs import (
    arch_string,
    darts_string,
    is_darts,
    nb201_string,
    parse_darts,
    parse_nb201,
)

CELL = "|nor_conv_3x3~0|+|none~0|skip_connect~1|+|avg_pool_3x3~0|nor_conv_1x1~1|none~2|"
GENO = (
    "[[(0, 0), (1, 5), (1, 1), (0, 1), (1, 3), (0, 3), (1, 3), (3, 2)], "
    "[(1, 0), (0, 2), (1, 3), (0, 3), (3, 0), (0, 1), (2, 0), (3, 6)]]"
)


class Wrapped:
    def __init__(self, s: str) -> None:
        self.s = s

    def __str__(self) -> str:
        return self.s


def test_nb201_round_trip_and_forms() -> None:
    ops = parse_nb201(CELL)
    assert ops == (
        "nor_conv_3x3",
        "none",
        "skip_connect",
        "avg_pool_3x3",
        "nor_conv_1x1",
        "none",
    )
    assert nb201_string(ops) == CELL
    assert nb201_string([3, 0, 1, 4, 2, 0]) == CELL
    assert parse_nb201(Wrapped(CELL)) == ops
    assert arch_string(Wrapped(CELL)) == CELL
    assert not is_darts(CELL) and not is_darts([3, 0, 1, 4, 2, 0])


@pytest.mark.parametrize(
    "bad", ["|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", "|none~0|+|none~0|", [0] * 5]
)
def test_nb201_rejects_bad(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_nb201(bad)


def test_darts_forms() -> None:
    normal, reduce = parse_darts(GENO)
    assert normal[1] == (1, 5) and reduce[7] == (3, 6)
    assert darts_string(GENO) == GENO
    assert parse_darts([list(normal), list(reduce)]) == (normal, reduce)
    assert parse_darts(Wrapped(GENO)) == (normal, reduce)
    assert is_darts(GENO) and is_darts(Wrapped(GENO))
    with pytest.raises(ValueError):
        parse_darts("[[(0, 0)] * 8, [(5, 0)] * 8]".replace("* 8", ""))
    with pytest.raises(ValueError):  # node 0 may only read inputs 0 and 1
        parse_darts([[(2, 0)] * 8, [(0, 0)] * 8])
