"""Warm restarts of the single-objective EDNAG searcher (``warm_restarts=``, session 18):
runs after the first start from the best queried architectures; the first run is unchanged."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest

from ednag_opt import search
from ednag_opt.search import ednag as ednag_mod

TARGET = (3, 1, 2, 4, 0, 3)


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


def _run(budget=700, seed=2, **kw):
    return search("ednag", "nas-bench-201", _score, maximize=True, max_queries=budget,
                  seed=seed, popsize=10, num_steps=30, runs=10, **kw)  # fmt: skip


def _keys(res):
    return [str(a) for a, _ in res.queries]


def test_the_first_run_is_unchanged_and_later_runs_differ_reproducibly():
    cold, warm = _run(), _run(warm_restarts=True)
    assert _keys(warm)[:300] == _keys(cold)[:300]  # N * T = 300: the first run
    assert _keys(warm) != _keys(cold)
    assert _keys(_run(warm_restarts=True)) == _keys(warm)
    assert _keys(_run(warm_restarts=False)) == _keys(cold)  # the default's


def test_each_later_run_starts_from_the_best_so_far(monkeypatch):
    calls = []
    real = ednag_mod._elites

    def spy(tracker, k):
        out = real(tracker, k)
        best = sorted(v for _, v in tracker.queries)[-k:]
        calls.append((len(tracker.queries), k, sorted(_score(out)) == best))
        return out

    monkeypatch.setattr(ednag_mod, "_elites", spy)
    res = _run(warm_restarts=True)
    assert [c[1] for c in calls] == [5] * (res.extras["runs"] - 1)
    assert calls[0][0] == 300 and all(ok for *_, ok in calls)


def test_elites_follow_the_direction_and_skip_non_finite_values():
    t = SimpleNamespace(queries=[("a", 3.0), ("b", 1.0), ("c", math.nan), ("d", 2.0),
                                 ("e", 1.0)], maximize=False)  # fmt: skip
    assert ednag_mod._elites(t, 3) == ["b", "e", "d"]  # ties keep the query order
    t.maximize = True
    assert ednag_mod._elites(t, 2) == ["a", "d"]
    assert ednag_mod._elites(t, 0) == []


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_warm_restarts_is_checked(bad):
    with pytest.raises(TypeError, match="warm_restarts"):
        _run(budget=5, warm_restarts=bad)


def test_warm_restarts_need_the_population_as_data():
    with pytest.raises(ValueError, match="warm_restarts=True needs data='population'"):
        _run(budget=5, warm_restarts=True, preset="archive")
    _run(budget=5, warm_restarts=False, preset="archive")
