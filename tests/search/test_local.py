"""Tests of the local-search searcher (White et al. 2021)."""

from __future__ import annotations

import pytest

from ednag_opt import search
from ednag_opt.fitness import CachedFitness
from ednag_opt.search.local import neighbours
from ednag_opt.spaces import get_space

TARGET = (3, 1, 2, 4, 0, 3)
OPT = 21.0


def _score(arch) -> float:
    return float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(arch.ops, TARGET))))


def test_nb201_neighbours_are_the_24_one_edge_changes():
    space = get_space("nas-bench-201")
    arch = space.sample(1)[0]
    nbrs = neighbours(space, arch)
    assert len(nbrs) == 24 == len({str(a) for a in nbrs})
    assert all(sum(a != b for a, b in zip(n.ops, arch.ops)) == 1 for n in nbrs)
    assert str(arch) not in {str(n) for n in nbrs}


@pytest.mark.parametrize("name", ["nas-bench-101", "transnas-macro", "mobilenetv3"])
def test_neighbours_valid_distinct_without_self(name):
    space = get_space(name)
    arch = space.sample(1)[0]
    nbrs = neighbours(space, arch)
    assert nbrs and all(space.is_valid(a) for a in nbrs)
    keys = [str(a) for a in nbrs]
    assert len(keys) == len(set(keys)) and str(arch) not in keys


@pytest.mark.parametrize("improvement", ["first", "best"])
def test_moves_only_to_better_neighbours_and_finds_optimum(improvement):
    res = search("local", "nas-bench-201", lambda a: [_score(x) for x in a], maximize=True,
                 max_queries=400, seed=3, improvement=improvement, target=OPT)  # fmt: skip
    assert res.best_fitness == OPT and tuple(res.best_arch.ops) == TARGET
    # this fitness has no local optimum but the global one: no restart before reaching it
    assert res.metadata["origins"]["restart"] == 1 and res.extras["restarts"] == 0
    # at most 6 improving moves (one per edge), each after at most 24 neighbours
    assert 1 <= res.extras["moves"] <= 6 and res.unique_queries <= 1 + 6 * 24


def test_restarts_from_unqueried_architectures_at_local_optima():
    space = get_space("nas-bench-201")
    cache = CachedFitness(lambda a: [float(x.ops[0] == 1) for x in a], maximize=True)
    res = search("local", space, cache, max_queries=300, seed=0)
    assert res.unique_queries == 300 and res.extras["restarts"] >= 3
    assert res.metadata["origins"]["restart"] >= 3


def test_minimisation_walks_downhill():
    res = search("local", "nas-bench-201", lambda a: [-_score(x) for x in a], maximize=False,
                 max_queries=400, seed=1)  # fmt: skip
    assert res.best_fitness == -OPT


@pytest.mark.parametrize("kw", [dict(improvement="worst"), dict(max_restart_tries=0)])
def test_bad_options_raise(kw):
    with pytest.raises(ValueError):
        search("local", "nas-bench-201", lambda a: [0.0] * len(a), maximize=True,
               max_queries=5, **kw)  # fmt: skip
