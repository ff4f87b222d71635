"""Tests of the Optuna TPE searcher."""

from __future__ import annotations

import statistics
import sys

import pytest

from ednag_opt import search

pytest.importorskip("optuna")

TARGET = (3, 1, 2, 4, 0, 3)


def _score(arch) -> float:
    return float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(arch.ops, TARGET))))


def _best(name: str, seed: int, budget: int = 60, **kw) -> float:
    res = search(name, "nas-bench-201", lambda a: [_score(x) for x in a], maximize=True,
                 max_queries=budget, seed=seed, **kw)  # fmt: skip
    return res.best_fitness


def test_tpe_models_the_fitness_better_than_random():
    tpe = [_best("tpe", s) for s in range(6)]
    rnd = [_best("random", s) for s in range(6)]
    assert statistics.mean(tpe) > statistics.mean(rnd) + 1.0


def test_univariate_is_a_different_sampler():
    a = search("tpe", "nas-bench-201", lambda x: [_score(y) for y in x], maximize=True,
               max_queries=30, seed=0)  # fmt: skip
    b = search("tpe", "nas-bench-201", lambda x: [_score(y) for y in x], maximize=True,
               max_queries=30, seed=0, multivariate=False)  # fmt: skip
    assert [str(q) for q, _ in a.queries] != [str(q) for q, _ in b.queries]
    assert a.metadata["origins"] == {"tpe": 30}


def test_repeats_are_free_and_stop_when_nothing_new():
    # a 1-row-sensitive fitness: TPE soon proposes known cells; they cost nothing
    calls: list[int] = []

    def f(archs):
        calls.append(len(archs))
        return [float(a.ops[0]) for a in archs]

    res = search("tpe", "nas-bench-201", f, maximize=True, max_queries=80, seed=2)
    assert sum(calls) == res.unique_queries == 80
    assert res.extras["trials"] >= 80


def test_missing_optuna_is_named(monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)
    with pytest.raises(ImportError, match="ednag-opt\\[tpe\\]"):
        search("tpe", "nas-bench-201", lambda a: [0.0] * len(a), maximize=True, max_queries=3)


@pytest.mark.parametrize("kw", [dict(n_startup_trials=0), dict(max_repeats=True)])
def test_bad_options_raise(kw):
    with pytest.raises(ValueError):
        search("tpe", "nas-bench-201", lambda a: [0.0] * len(a), maximize=True,
               max_queries=3, **kw)  # fmt: skip
