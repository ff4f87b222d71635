"""Tests of the baseline searchers: REA and random search."""

from __future__ import annotations

import pytest
import torch

from ednag_opt import search
from ednag_opt.fitness import CachedFitness
from ednag_opt.search import mutate_one
from ednag_opt.spaces import get_space


class Recorder:
    """Synthetic NB201 fitness: matches with a target cell, weighted per edge (unique max).

    Records every architecture sent to it, to check what the cache forwards.
    """

    def __init__(self, target: tuple[int, ...], sign: float = 1.0) -> None:
        self.target, self.sign = target, sign
        self.seen: list[str] = []

    def __call__(self, archs):
        self.seen.extend(str(a) for a in archs)
        return [
            self.sign * sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, self.target)))
            for a in archs
        ]


TARGET = (3, 1, 2, 4, 0, 3)
OPT = sum(range(1, 7))  # 21: every edge matches


@pytest.mark.parametrize("seed", range(5))
def test_rea_finds_optimum_of_synthetic_fitness(seed):
    space = get_space("nas-bench-201")
    cache = CachedFitness(Recorder(TARGET), maximize=True)
    res = search("rea", space, cache, max_queries=400, seed=seed)
    assert res.best_fitness == OPT
    assert tuple(res.best_arch.ops) == TARGET
    assert cache.queries_to_reach(OPT) is not None


def test_rea_minimises_when_fitness_is_minimised():
    space = get_space("nas-bench-201")
    cache = CachedFitness(Recorder(TARGET, sign=-1.0), maximize=False)
    res = search("rea", space, cache, max_queries=400, seed=1)
    assert res.best_fitness == -OPT


@pytest.mark.parametrize("name", ["nas-bench-201", "transnas-micro", "transnas-macro"])
def test_rea_query_counting_matches_cache(name):
    space = get_space(name)
    calls: list[str] = []

    def fn(archs):
        calls.extend(str(a) for a in archs)
        return [float(hash(str(a)) % 997) for a in archs]

    cache = CachedFitness(fn, maximize=True)
    res = search("rea", space, cache, max_queries=150, seed=0)
    assert res.unique_queries == cache.unique_queries == len(cache.history) == 150
    assert res.total_queries == cache.total_queries >= 150
    assert len(calls) == len(set(calls)) == 150  # each distinct arch sent to the source once
    assert [k for k, _ in cache.history] == calls
    assert all(space.is_valid(space.from_str(k)) for k in calls)


def test_rea_is_deterministic():
    space = get_space("nas-bench-201")
    runs = []
    for _ in range(2):
        cache = CachedFitness(Recorder(TARGET), maximize=True)
        search("rea", space, cache, max_queries=100, seed=7)
        runs.append(cache.history)
    assert runs[0] == runs[1]


@pytest.mark.parametrize("name", ["nas-bench-201", "transnas-micro", "transnas-macro"])
def test_random_search_never_repeats(name):
    space = get_space(name)
    cache = CachedFitness(lambda archs: [len(str(a)) for a in archs], maximize=True)
    res = search("random", space, cache, max_queries=500, seed=3, batch_size=37)
    keys = [k for k, _ in cache.history]
    assert len(keys) == len(set(keys)) == 500
    assert res.unique_queries == res.total_queries == cache.total_queries == 500


def test_random_search_without_enumerate_still_never_repeats(monkeypatch):
    space = get_space("transnas-micro")  # 4,096 cells: rejection must skip many repeats

    def no_enumerate():
        raise ValueError("too large")

    monkeypatch.setattr(space, "enumerate", no_enumerate)
    cache = CachedFitness(lambda archs: [1.0] * len(archs), maximize=True)
    search("random", space, cache, max_queries=3000, seed=0)
    keys = [k for k, _ in cache.history]
    assert len(keys) == len(set(keys)) == 3000 == cache.total_queries


def test_random_search_whole_space_finds_optimum():
    space = get_space("nas-bench-201")
    cache = CachedFitness(Recorder(TARGET), maximize=True)
    res = search("random", space, cache, max_queries=10**6, seed=0)
    assert res.metadata["stop_reason"] == "exhausted"
    assert res.unique_queries == 5**6
    assert res.best_fitness == OPT


@pytest.mark.parametrize("name", ["nas-bench-201", "transnas-micro", "transnas-macro"])
def test_mutate_one_changes_one_choice(name):
    space = get_space(name)
    g = torch.Generator().manual_seed(0)
    for parent in space.sample(50, generator=g):
        child = mutate_one(space, parent, g)
        assert space.is_valid(child) and str(child) != str(parent)
        if name != "transnas-macro":  # product spaces: exactly one row differs
            diff = (space.encode([child]) != space.encode([parent])).any(dim=-1)
            assert int(diff.sum()) == 1
