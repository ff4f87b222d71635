"""NAS-Bench-101: NASLib strings, validity, graph hash and repair."""

from __future__ import annotations

import hashlib
import itertools
import json
import random

import numpy as np
import pytest
import torch

from ednag_opt.spaces import NB101Cell, get_space
from ednag_opt.spaces.nb101_graph import TRIU, graph_hash

C3, C1, MP = "conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3"

# The Inception-like cell of the NAS-Bench-101 README, and the (isomorphic) spec the
# benchmark returns for it as module_adjacency / module_operations.
README_SPEC = (
    [
        [0, 1, 1, 1, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
    ],
    ["input", C1, C3, C3, C3, MP, "output"],
)
STORED_SPEC = (
    [
        [0, 1, 1, 1, 1, 0, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 1, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [0, 0, 0, 0, 0, 0, 0],
    ],
    ["input", C3, C1, MP, C3, C3, "output"],
)


@pytest.fixture(scope="module")
def space():
    return get_space("nas-bench-101")


def _relabel(cell: NB101Cell, rng: random.Random) -> NB101Cell:
    """An isomorphic cell: a random topological order of the nodes, input/output fixed."""
    m = np.array(cell.matrix)
    indeg = m.sum(0).tolist()
    order, ready = [0], [v for v in range(1, 6) if indeg[v] == 0]
    for w in range(7):
        if m[0, w]:
            indeg[w] -= 1
            if indeg[w] == 0 and 0 < w < 6:
                ready.append(w)
    while ready:
        v = ready.pop(rng.randrange(len(ready)))
        order.append(v)
        for w in range(7):
            if m[v, w]:
                indeg[w] -= 1
                if indeg[w] == 0 and w < 6:
                    ready.append(w)
    order.append(6)
    new = m[np.ix_(order, order)]
    assert not np.tril(new).any()
    ops = tuple(cell.ops[v - 1] for v in order[1:-1])
    return NB101Cell(tuple(map(tuple, new.tolist())), ops)


def test_readme_cell_and_stored_spec_share_a_key(space):
    readme = space.from_spec(*README_SPEC)
    stored = space.from_spec(*STORED_SPEC)
    assert readme != stored and readme.key == stored.key
    changed = space.from_spec(README_SPEC[0], ["input", C3, C3, C3, C3, MP, "output"])
    assert changed.key != readme.key


def test_label_permutation_of_diamond_shares_hash():
    diamond = np.array([[0, 1, 1, 0], [0, 0, 0, 1], [0, 0, 0, 1], [0, 0, 0, 0]])
    assert graph_hash(diamond, [-1, 1, 2, -2]) == graph_hash(diamond, [-1, 2, 1, -2])
    assert graph_hash(diamond, [-1, 1, 1, -2]) != graph_hash(diamond, [-1, 1, 2, -2])


def _spec_hash(matrix: np.ndarray, labels: list[int]) -> str:
    """NAS-Bench-101's hash_module convention, written out independently for the test."""

    def md5(text: str) -> str:
        return hashlib.md5(text.encode("utf-8")).hexdigest()

    n = len(labels)
    node = [md5(str((int(matrix[v].sum()), int(matrix[:, v].sum()), labels[v]))) for v in range(n)]
    for _ in range(n):
        new = []
        for v in range(n):
            ins = sorted(node[u] for u in range(n) if matrix[u, v])
            outs = sorted(node[w] for w in range(n) if matrix[v, w])
            new.append(md5("".join(ins) + "|" + "".join(outs) + "|" + node[v]))
        node = new
    return md5(str(sorted(node)))


def test_key_follows_the_benchmark_hash_convention(space):
    cells = space.sample(200, generator=torch.Generator().manual_seed(5))
    for cell in cells:
        assert cell.key == _spec_hash(*cell.pruned())


def test_isomorphic_relabelings_share_key(space):
    rng = random.Random(0)
    cells = space.sample(150, generator=torch.Generator().manual_seed(0))
    for cell in cells:
        other = _relabel(cell, rng)
        assert space.is_valid(other) and other.key == cell.key
    assert len({c.key for c in cells}) > 100  # the hash separates different cells


def test_pruning_keeps_key_and_spec(space):
    cell = space.from_spec(*STORED_SPEC)
    m = [list(r) for r in cell.matrix]
    m[0][1] = m[1][6] = 0  # node 1 becomes isolated
    small = NB101Cell(tuple(map(tuple, m)), cell.ops)
    m[0][1] = 1  # node 1 hangs off the input but reaches no output: pruned away
    dangling = NB101Cell(tuple(map(tuple, m)), (2, *cell.ops[1:]))
    assert space.is_valid(small) and space.is_valid(dangling)
    assert small.key == dangling.key != cell.key
    matrix, ops = space.to_spec(dangling)
    assert len(ops) == 6 and np.array(matrix).shape == (6, 6)
    assert space.from_spec(matrix, ops).key == small.key
    assert space.canonicalize(dangling) == small


def test_to_spec_prunes_dead_nodes(space):
    m = np.zeros((7, 7), dtype=int)
    m[0, 6] = m[0, 1] = m[2, 3] = 1  # only 0->6 survives pruning
    cell = NB101Cell(tuple(map(tuple, m.tolist())), (0, 1, 2, 0, 1))
    assert space.is_valid(cell)
    assert space.to_spec(cell) == ([[0, 1], [0, 0]], ["input", "output"])
    assert cell.num_edges == 1


def test_shared_sample_parses_and_round_trips(space, data_file):
    path = data_file("nasbench101/zc_nasbench101.json")
    strings = list(json.loads(path.read_text())["nasbench101"]["cifar10"])
    assert len(strings) == 500
    cells = [space.from_str(s) for s in strings]
    assert [space.to_str(c) for c in cells] == strings
    assert all(space.is_valid(c) for c in cells)
    assert space.decode(space.encode(cells)) == cells
    # the hash classes equal exact isomorphism classes (brute force over relabelings)
    classes: dict[tuple, set[str]] = {}
    for c in cells:
        m, labels = c.pruned()
        inner = range(1, len(labels) - 1)
        forms = []
        for p in itertools.permutations(inner):
            o = [0, *p, len(labels) - 1]
            forms.append((m[np.ix_(o, o)].tobytes(), tuple(labels[v] for v in o)))
        classes.setdefault(min(forms), set()).add(c.key)
    assert all(len(keys) == 1 for keys in classes.values())
    assert len({c.key for c in cells}) == len(classes) == 292
    assert any(sum(map(sum, c.matrix)) > 9 for c in cells)  # dangling edges kept


def test_string_op_codes(space):
    s = str(space.from_spec(*STORED_SPEC))
    assert s.endswith("0, 4, 3, 2, 4, 4, 1)")  # NASLib: 2 maxpool, 3 conv1x1, 4 conv3x3


@pytest.mark.parametrize(
    "bad",
    [
        str(tuple([0] * 55)),
        str(tuple([0, 1] + [0] * 47 + [0, 2, 2, 2, 2, 2, 1])),  # no path to the output
        str(tuple([0] * 6 + [1] + [0] * 42 + [0, 5, 2, 2, 2, 2, 1])),  # bad op code
        str(tuple([0] * 6 + [1] + [1] + [0] * 41 + [0, 2, 2, 2, 2, 2, 1])),  # lower triangle
        str(tuple([0] * 6 + [1] + [0] * 42 + [1, 2, 2, 2, 2, 2, 1])),  # input code
        "(0, 1, 'a')",
    ],
)
def test_bad_strings(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_str(bad)


def test_too_many_edges_is_invalid(space):
    m = np.triu(np.ones((7, 7), dtype=int), 1)
    with pytest.raises(ValueError, match="edges after pruning"):
        space.from_str(str(tuple(m.ravel().tolist()) + (0, 2, 2, 2, 2, 2, 1)))


def _logits(space, score: dict[tuple[int, int], float], default: float) -> torch.Tensor:
    x = torch.zeros(1, *space.shape)
    for e, (i, j) in enumerate(zip(*TRIU, strict=True)):
        x[0, e, 1] = score.get((int(i), int(j)), default)
    return x


def test_repair_adds_strongest_path(space):
    x = _logits(space, {(0, 2): -0.1, (2, 5): -0.2, (5, 6): -0.1, (1, 3): 2.0}, -5.0)
    cell = space.decode(x)[0]
    on = {(i, j) for i in range(7) for j in range(7) if cell.matrix[i][j]}
    assert on == {(0, 2), (2, 5), (5, 6), (1, 3)}
    assert space.repair_needed(x).tolist() == [True]


def test_repair_drops_weakest_edges(space):
    score = {(int(i), int(j)): float(10 + 3 * j - i) for i, j in zip(*TRIU, strict=True)}
    cell = space.decode(_logits(space, score, 0.0))[0]
    assert space.is_valid(cell) and cell.num_edges == 9
    assert cell.matrix[0][6] == 1 and cell.matrix[5][6] == 1  # strongest edges stay


def test_decode_of_zeros_is_the_direct_edge(space):
    cell = space.decode(torch.zeros(1, *space.shape))[0]
    assert sum(map(sum, cell.matrix)) == 1 and cell.matrix[0][6] == 1


def test_gaussian_valid_fraction_without_repair(space):
    x = torch.randn(20_000, *space.shape, generator=torch.Generator().manual_seed(0))
    fraction = 1.0 - space.repair_needed(x).float().mean().item()
    assert 0.68 < fraction < 0.78  # measured 0.73 (docs/spaces.md)


def test_prune_option_returns_canonical_cells():
    space = get_space("nas-bench-101", prune=True)
    x = torch.randn(500, *space.shape, generator=torch.Generator().manual_seed(1))
    cells = space.decode(x)
    assert all(space.canonicalize(c) == c for c in cells)
    raw = get_space("nas-bench-101").decode(x)
    assert [c.key for c in cells] == [c.key for c in raw]
