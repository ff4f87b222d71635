"""``search(..., distinct="networks")``: searchers steer away from other encodings of a
network already queried (``space.canonicalize``; NAS-Bench-201: ``prune``)."""

from __future__ import annotations

import zlib

import pytest
import torch

from ednag_opt import get_space, search
from ednag_opt.fitness import CachedFitness, as_fitness
from ednag_opt.search.tracker import Tracker
from ednag_opt.spaces.nb201 import NB201Arch


def _acc(archs):
    """Synthetic accuracy of the network (pruned cell), so twins score the same."""
    space = get_space("nas-bench-201")
    return [float(sum(op * (k + 1) for k, op in enumerate(space.prune(a).ops))) for a in archs]


def _cost(archs):
    """Synthetic latency of the cell as written (signal-free ops cost too)."""
    return [float(sum(op in (2, 3) for op in a.ops)) + 0.1 * sum(a.ops) for a in archs]


ACC = as_fitness(_acc, maximize=True, name="acc")
COST = as_fitness(_cost, maximize=False, name="cost")


def _networks(space, res):
    return len({space.canonicalize(a).key for a, _ in res.queries})


def test_tracker_knows_a_twin_but_still_evaluates_it():
    space = get_space("nas-bench-201")
    a = NB201Arch((0, 3, 0, 0, 0, 3))  # edge 1<-0 is none, so edge 2<-1 carries nothing
    twin = NB201Arch((0, 3, 2, 0, 0, 3))
    assert space.prune(a) == space.prune(twin) and a != twin
    plain = Tracker(space, CachedFitness(ACC), maximize=True, max_queries=10)
    canon = Tracker(space, CachedFitness(ACC), maximize=True, max_queries=10,
                    canonical=space.canonicalize)  # fmt: skip
    for tr in (plain, canon):
        tr.query([a])
    assert not plain.seen(twin) and plain.key(a) != plain.key(twin)
    assert canon.seen(twin) and canon.key(a) == canon.key(twin)
    canon.query([twin])  # the same network: already queried, free
    assert canon.unique_queries == 1 and canon.queries[0][0] == space.prune(a)


@pytest.mark.parametrize("objectives", [[ACC, COST], ACC], ids=["two objectives", "one"])
def test_every_query_is_a_new_network(objectives):
    space = get_space("nas-bench-201")
    runs = {d: search("ednag", space, objectives, max_queries=300, seed=3, distinct=d)
            for d in ("architectures", "networks")}  # fmt: skip
    nets = {d: _networks(space, r) for d, r in runs.items()}
    assert runs["networks"].unique_queries == nets["networks"] == 300
    assert all(space.prune(a) == a for a, _ in runs["networks"].queries)
    assert nets["architectures"] < nets["networks"]  # the default spends queries on twins
    assert runs["networks"].metadata["distinct"] == "networks"
    assert "distinct" not in runs["architectures"].metadata


def test_same_seed_same_queries():
    space = get_space("nas-bench-201")
    a, b = (search("ednag", space, [ACC, COST], max_queries=120, seed=5, distinct="networks")
            for _ in range(2))  # fmt: skip
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]


def test_transnas_micro_cells_prune_like_nas_bench_201():
    micro, nb201 = get_space("transnas-micro"), get_space("nas-bench-201")
    cells = micro.enumerate()
    assert len({micro.canonicalize(c).key for c in cells}) == 2128
    for c in cells[::97]:  # op 0 is none / zeroize in both: the same rule
        assert micro.canonicalize(c).ops == nb201.prune(NB201Arch(c.ops)).ops


def test_bad_distinct_is_refused_early():
    calls = []

    def fn(archs):
        calls.append(len(archs))
        return torch.zeros(len(archs))

    with pytest.raises(ValueError, match="distinct must be"):
        search("random", "nas-bench-201", fn, maximize=True, max_queries=5, distinct="cells")
    with pytest.raises(ValueError, match="TransNASMacroSpace has none"):
        search("random", "transnas-macro", fn, maximize=True, max_queries=5, distinct="networks")
    assert not calls


@pytest.mark.parametrize(
    ("searcher", "multi"),
    [("ednag", True), ("ednag", False), ("rea", False), ("local", False)],
    ids=["ednag, two objectives", "ednag", "rea", "local"],
)
def test_only_canonical_forms_are_evaluated_once_each(searcher, multi):
    """Session 22: the multi-objective searcher told its strategy the values of the
    asked cells, so a twin the tracker mapped to its network was evaluated as well."""
    space = get_space("nas-bench-201")
    evaluated: list[str] = []

    def acc(archs):
        evaluated.extend(a.key for a in archs)
        assert all(space.prune(a) == a for a in archs)
        return [x + 0.01 * (zlib.crc32(a.key.encode()) % 7) for x, a in zip(_acc(archs), archs)]

    src = as_fitness(acc, maximize=True, name="acc")
    res = search(searcher, space, [src, COST] if multi else src, max_queries=150, seed=2,
                 distinct="networks")  # fmt: skip
    assert res.unique_queries == 150 and len(evaluated) == len(set(evaluated)) == 150
