"""The contract every entry of SEARCHERS keeps (evosax's pattern: tests over the registry)."""

from __future__ import annotations

import importlib.util
import math

import pytest

from ednag_opt import SEARCHERS, SearchResult, search
from ednag_opt.fitness import CachedFitness, FunctionFitness
from ednag_opt.spaces import get_space

#: Options that keep each searcher quick in tests (its defaults otherwise).
FAST = {
    "surrogate": dict(
        surrogate={"epochs": 30, "hidden": 16, "n_models": 2}, search_queries=60,
        popsize=10, num_steps=5, per_round=4,
    ),  # fmt: skip
}
#: Searchers behind an optional extra skip (with the reason) where the extra is missing;
#: the dev extra that CI installs has them all.
EXTRAS = {"tpe": "optuna"}
NAMES = [
    pytest.param(n, marks=pytest.mark.skip(reason=f"{n!r} needs the optional {EXTRAS[n]}"))
    if n in EXTRAS and importlib.util.find_spec(EXTRAS[n]) is None
    else n
    for n in sorted(SEARCHERS)
]


def _score(arch) -> float:
    """Synthetic NB201 fitness: weighted matches with a target cell (unique optimum 21)."""
    target = (3, 1, 2, 4, 0, 3)
    return float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(arch.ops, target))))


def _run(name, fitness, **kw) -> SearchResult:
    return search(name, "nas-bench-201", fitness, **{**FAST.get(name, {}), **kw})


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("budget", [1, 17, 33])
def test_budget_never_exceeded(name, budget):
    calls: list[int] = []

    def f(archs):
        calls.append(len(archs))
        return [_score(a) for a in archs]

    res = _run(name, f, max_queries=budget, maximize=True, seed=2)
    assert res.unique_queries == len(res.queries) == sum(calls) <= budget
    assert res.unique_queries == budget  # nothing stops them early here
    assert all(r["unique_queries"] <= budget for r in res.history)
    assert res.metadata["stop_reason"] == "budget"


@pytest.mark.parametrize("name", NAMES)
def test_same_seed_same_query_history(name):
    fit = FunctionFitness(lambda archs: [_score(a) for a in archs], maximize=True)
    a, b = (_run(name, fit, max_queries=30, seed=5) for _ in range(2))
    assert [(str(x), v) for x, v in a.queries] == [(str(x), v) for x, v in b.queries]
    c = _run(name, fit, max_queries=30, seed=6)
    assert [str(x) for x, _ in a.queries] != [str(x) for x, _ in c.queries]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("maximize", [True, False])
def test_minimise_and_maximise(name, maximize):
    sign = 1.0 if maximize else -1.0
    res = _run(name, lambda archs: [sign * _score(a) for a in archs], max_queries=40,
               maximize=maximize, seed=0)  # fmt: skip
    values = [v for _, v in res.queries]
    assert res.best_fitness == (max(values) if maximize else min(values))
    assert res.maximize is maximize
    assert res.top_k(1)[0] == (res.best_arch, res.best_fitness)
    ranked = [v for _, v in res.top_k(5)]
    assert ranked == sorted(ranked, reverse=maximize)


@pytest.mark.parametrize("name", NAMES)
def test_canonical_keys_isomorphic_nb101_cells_queried_once(name):
    seen = []

    def edges(archs):
        seen.extend(archs)
        return [float(a.num_edges) for a in archs]

    opts = dict(FAST.get(name, {}))
    res = search(name, "nas-bench-101", edges, max_queries=40, maximize=True, seed=1, **opts)
    keys = [a.key for a in seen]
    assert len(keys) == len(set(keys)) == res.unique_queries  # one query per class
    assert len({a.key for a, _ in res.queries}) == len(res.queries)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_values_never_best(name, bad):
    def f(archs):  # every third architecture fails with a non-finite value
        return [bad if hash(str(a)) % 3 == 0 else _score(a) for a in archs]

    for maximize in (True, False):
        res = _run(name, f, max_queries=30, maximize=maximize, seed=3)
        assert any(not math.isfinite(v) for _, v in res.queries)
        assert res.best_fitness is not None and math.isfinite(res.best_fitness)
        assert all(math.isfinite(v) for _, v in res.top_k(30))
        assert all(r["best_fitness"] is None or math.isfinite(r["best_fitness"])
                   for r in res.history)  # fmt: skip


@pytest.mark.parametrize("name", NAMES)
def test_all_failures_give_no_best(name):
    res = _run(name, lambda archs: [math.nan] * len(archs), max_queries=12, maximize=True)
    assert res.best_arch is None and res.best_fitness is None and res.top_k(3) == []


@pytest.mark.parametrize("name", NAMES)
def test_save_load_round_trip(name, tmp_path):
    res = _run(name, lambda archs: [_score(a) for a in archs], max_queries=25, maximize=True,
               seed=4, target=21.0)  # fmt: skip
    back = SearchResult.load(res.save(tmp_path / "r.json"))
    assert back.best_arch == res.best_arch and back.best_fitness == res.best_fitness
    assert back.queries == res.queries  # architectures parsed back with the recorded space
    assert back.top_k(3) == res.top_k(3)
    assert back.metadata["searcher"] == name and back.metadata["seed"] == 4
    assert back.metadata["max_queries"] == 25 and back.metadata["version"]
    assert back.history == res.history or len(back.history) == len(res.history)
    raw = SearchResult.load(tmp_path / "r.json", space=False or None)
    assert raw.unique_queries == res.unique_queries


@pytest.mark.parametrize("name", NAMES)
def test_target_stops_and_callback_sees_every_row(name):
    rows: list[dict] = []
    res = _run(name, lambda archs: [_score(a) for a in archs], max_queries=2000,
               maximize=True, seed=0, target=15.0, callback=rows.append)  # fmt: skip
    assert res.best_fitness >= 15.0 and res.metadata["stop_reason"] == "target"
    assert rows == res.history
    keys = {"step", "unique_queries", "total_queries", "best_fitness", "batch_size", "wall_time"}
    assert all(keys <= set(r) for r in rows)


@pytest.mark.parametrize("name", NAMES)
def test_unknown_option_raises(name):
    with pytest.raises(TypeError, match="no option"):
        _run(name, lambda a: [0.0] * len(a), max_queries=5, maximize=True, popsiz=3)


def test_shared_cache_is_used_and_kept():
    cache = CachedFitness(lambda archs: [_score(a) for a in archs], maximize=True)
    res = search("random", "nas-bench-201", cache, max_queries=20)
    assert res.cache is cache and len(cache) == 20
    assert [k for k, _ in cache.history] == [str(a) for a, _ in res.queries]


def test_whole_space_budget_does_not_hang():
    space = get_space("nas-bench-201")
    res = search("ednag", space, lambda archs: [_score(a) for a in archs], maximize=True,
                 max_queries=16000, seed=0, popsize=200, num_steps=10)  # fmt: skip
    assert res.unique_queries <= space.num_architectures
    assert res.metadata["stop_reason"] in {"exhausted", "stalled"}


def test_plain_function_needs_a_direction():
    with pytest.raises(ValueError, match="maximize"):
        search("random", "nas-bench-201", lambda archs: [0.0] * len(archs), max_queries=3)


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(max_queries=0), ValueError),
        (dict(max_queries=2.5), TypeError),
        (dict(max_queries=5, target=math.nan), ValueError),
        (dict(max_queries=5, seed="a"), TypeError),
        (dict(max_queries=5, seed=-1), ValueError),
        (dict(max_queries=5, seed=2**70), ValueError),
        (dict(max_queries=5, callback=3), TypeError),
    ],
)
def test_bad_run_arguments(kwargs, error):
    with pytest.raises(error):
        search("rea", "nas-bench-201", lambda a: [0.0] * len(a), maximize=True, **kwargs)


def test_unknown_searcher_and_missing_budget():
    with pytest.raises(ValueError, match="unknown searcher"):
        search("bayes", "nas-bench-201", lambda a: [0.0] * len(a), maximize=True)
    with pytest.raises(ValueError, match="budget"):
        search("rea", "nas-bench-201", lambda a: [0.0] * len(a), maximize=True)
