"""Warm restarts of the single-objective EDNAG searcher (``warm_restarts=``, session 18):
runs after the first start from the best queried architectures; the first run is unchanged."""

from __future__ import annotations

import math
from types import SimpleNamespace

import pytest
import torch

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


# ---------------------------------------------- renoised restarts ("renoised", "auto")


def test_renoised_restarts_keep_the_first_run_and_start_later_runs_near_the_elites():
    cold, elites, kicked = _run(), _run(warm_restarts=True), _run(warm_restarts="renoised")
    assert _keys(kicked)[:300] == _keys(cold)[:300]  # the first run is the default's
    assert _keys(kicked) != _keys(cold) and _keys(kicked) != _keys(elites)
    assert _keys(_run(warm_restarts="renoised")) == _keys(kicked)  # reproducible


def test_restart_latents_are_forward_draws_of_the_best():
    from ednag_opt.fitness import CachedFitness, as_fitness
    from ednag_opt.search.tracker import Tracker
    from ednag_opt.spaces import get_space

    space = get_space("nas-bench-201")
    fit = as_fitness(_score, maximize=True)
    tracker = Tracker(space, CachedFitness(fit), maximize=True, max_queries=50)
    assert ednag_mod._restart_latents(space, tracker, 6, True, None) is None  # nothing yet
    archs = space.sample(30, torch.Generator().manual_seed(0))
    tracker.query(archs)
    best = ednag_mod._elites(tracker, 6)
    plain = ednag_mod._restart_latents(space, tracker, 6, False, None)
    assert torch.equal(plain, space.encode(best[:3]))  # N // 2 elites, one-hot
    gen = torch.Generator().manual_seed(0)
    x = ednag_mod._restart_latents(space, tracker, 6, True, gen)
    assert x.shape == (6, *space.shape) and torch.isfinite(x).all()
    assert not torch.equal(x, space.encode(best))  # noised ...
    x0 = space.encode(best)
    lean = (x * x0).sum(dim=(1, 2)) / (x0 * x0).sum(dim=(1, 2))  # sqrt(a) + noise
    assert lean.mean() > 0.2  # ... but the draws lean towards their elites (E sqrt(a) = 2/3)
    again = ednag_mod._restart_latents(space, tracker, 6, True, torch.Generator().manual_seed(0))
    assert torch.equal(again, x)


def test_auto_renoises_only_where_the_schedule_lengthens_the_runs():
    small = _run(budget=700)  # T = 30: the schedule keeps it, so "auto" restarts cold
    assert _keys(_run(budget=700, warm_restarts="auto")) == _keys(small)
    # N = 4, T = 5, runs=2: T = ceil(200 / 8) = 25 > 5, lengthened: "auto" is "renoised"
    a = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=200, seed=1,
               popsize=4, num_steps=5, runs=2, warm_restarts="auto")  # fmt: skip
    b = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=200, seed=1,
               popsize=4, num_steps=5, runs=2, warm_restarts="renoised")  # fmt: skip
    assert _keys(a) == _keys(b) and a.unique_queries == 200
