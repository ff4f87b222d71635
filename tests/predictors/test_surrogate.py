"""ArchSurrogate (fit/predict/save/load, ranking quality) and surrogate_generate (real-query
accounting, finding a synthetic optimum, reproducibility) on NAS-Bench-201 cells."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from ednag_opt import SearchResult, search
from ednag_opt.fitness import CachedFitness
from ednag_opt.fitness.predictors import ArchSurrogate
from ednag_opt.spaces import get_space

SPACE = get_space("nas-bench-201")
FAST = {"epochs": 60, "hidden": 32, "n_models": 3}


def synthetic(seed: int = 0):
    """Additive op scores plus one pairwise interaction per edge pair (a smooth landscape)."""
    rng = np.random.default_rng(seed)
    unary = rng.normal(size=(6, 5))
    pair = 0.3 * rng.normal(size=(6, 6, 5, 5))

    def f(archs) -> torch.Tensor:
        ops = np.array([a.ops for a in archs]).reshape(-1, 6)
        v = unary[np.arange(6), ops].sum(axis=1)
        for i in range(6):
            for j in range(i + 1, 6):
                v = v + pair[i, j, ops[:, i], ops[:, j]]
        return torch.from_numpy(v)

    return f


@pytest.fixture(scope="module")
def all_archs():
    return SPACE.enumerate()


def test_fit_predict_shapes():
    archs = SPACE.sample(40, generator=torch.Generator().manual_seed(0))
    y = synthetic()(archs).numpy()
    model = ArchSurrogate(SPACE, **FAST).fit(archs, y)
    assert model.predict(archs[:7]).shape == (7,)
    mean, std = model.predict(archs[:7], return_std=True)
    assert mean.shape == std.shape == (7,) and (std >= 0).all()
    assert model.predict_members(archs[:7]).shape == (3, 7)
    assert model(archs[:4]).dtype == torch.float64
    enc = SPACE.encode(archs[:5])
    np.testing.assert_allclose(model.predict(enc), model.predict(archs[:5]), rtol=1e-6)
    assert model.predict([]).shape == (0,)
    with pytest.raises(ValueError):
        model.fit(archs, y[:-1])
    with pytest.raises(RuntimeError):
        ArchSurrogate(SPACE).predict(archs)


@pytest.mark.parametrize("features", ["onehot", "pairwise"])
def test_save_load_round_trip(tmp_path, features):
    archs = SPACE.sample(30, generator=torch.Generator().manual_seed(1))
    model = ArchSurrogate("nas-bench-201", features=features, **FAST).fit(
        archs, synthetic()(archs).numpy()
    )
    path = model.save(tmp_path / "m.pt")
    again = ArchSurrogate.load(path)
    assert again.get_params() == model.get_params()
    test = SPACE.sample(50, generator=torch.Generator().manual_seed(2))
    m1, s1 = model.predict(test, return_std=True)
    m2, s2 = again.predict(test, return_std=True)
    np.testing.assert_array_equal(m1, m2)
    np.testing.assert_array_equal(s1, s2)


@pytest.mark.parametrize("loss", ["rank", "mse"])
def test_ranks_synthetic_fitness(all_archs, loss):
    f = synthetic(3)
    perm = torch.randperm(len(all_archs), generator=torch.Generator().manual_seed(0)).tolist()
    train = [all_archs[i] for i in perm[:200]]
    test = [all_archs[i] for i in perm[200:2200]]
    model = ArchSurrogate(SPACE, loss=loss, epochs=100, seed=0).fit(train, f(train).numpy())
    rho = spearmanr(model.predict(test), f(test).numpy())[0]
    assert rho > 0.8
    if loss == "rank":  # calibrated to the targets' units
        assert abs(model.predict(test).mean() - f(test).mean().item()) < 1.0


def test_same_data_same_seed_same_model():
    archs = SPACE.sample(30, generator=torch.Generator().manual_seed(4))
    y = synthetic()(archs).numpy()
    a = ArchSurrogate(SPACE, seed=5, **FAST).fit(archs, y).predict(archs)
    b = ArchSurrogate(SPACE, seed=5, **FAST).fit(archs, y).predict(archs)
    np.testing.assert_array_equal(a, b)


def surrogate_generate(space, f, **kw) -> SearchResult:
    if not hasattr(f, "maximize") and "maximize" not in kw:
        kw["maximize"] = True
    return search("surrogate", space, f, **{"max_queries": 500, **kw})


def _search(f, **kw) -> SearchResult:
    args = dict(init=10, per_round=5, max_queries=120, seed=0, search_queries=200)
    args.update(kw)
    return surrogate_generate(SPACE, f, surrogate=FAST, popsize=10, num_steps=10, **args)


def _pop(res):
    return [a for a, _ in res.queries]


def test_counts_only_real_queries_and_finds_optimum(all_archs):
    f = synthetic(6)
    values = f(all_archs)
    opt = float(values.max())
    calls: list[int] = []

    def real(archs):
        calls.append(len(archs))
        return f(archs)

    cache = CachedFitness(real)
    res = _search(cache, target=opt)
    assert res.best_fitness == pytest.approx(opt)
    assert res.unique_queries == cache.unique_queries == sum(calls) == len(res.queries)
    assert res.unique_queries < 120
    assert len({str(a) for a in _pop(res)}) == len(res.queries)  # none re-queried
    q = cache.queries_to_reach(opt)  # the batch that holds the optimum is queried whole
    assert res.unique_queries - 5 < q <= res.unique_queries
    assert res.top_k(1)[0][1] == pytest.approx(opt)
    assert res.history[0]["unique_queries"] == 10
    assert res.wall_time >= sum(h.get("fit_time", 0) + h.get("search_time", 0) for h in res.history)


def test_budget_and_minimize():
    f = synthetic(7)
    res = _search(lambda a: -f(a), max_queries=23, maximize=False, acquisition="ucb")
    assert res.unique_queries == 23 and not res.maximize
    assert res.best_fitness == pytest.approx(min(v for _, v in res.queries))


def test_same_seed_same_result():
    f = synthetic(8)
    a, b = _search(f, max_queries=25), _search(f, max_queries=25)
    assert [str(x) for x in _pop(a)] == [str(x) for x in _pop(b)]
    assert a.best_fitness == b.best_fitness
    c = _search(f, max_queries=25, seed=1)
    assert [str(x) for x in _pop(a)] != [str(x) for x in _pop(c)]


def test_restart_forgets_but_never_requeries():
    flat = lambda archs: torch.zeros(len(archs), dtype=torch.float64)  # noqa: E731 never improves
    res = _search(flat, max_queries=50, restart_after=10)
    restarts = [h for h in res.history if h.get("restart")]
    assert len(restarts) >= 2 and all(h["new_queries"] == 10 for h in restarts)
    assert res.unique_queries == 50 == len({str(a) for a in _pop(res)})


def test_exhaustive_optimizer_matches_budget(all_archs):
    f = synthetic(9)
    res = _search(f, max_queries=20, optimizer="exhaustive")
    assert res.unique_queries == 20
    assert res.best_fitness == pytest.approx(float(f(_pop(res)).max()))


def test_bad_arguments():
    with pytest.raises(ValueError):
        surrogate_generate(SPACE, synthetic(), acquisition="ei")
    with pytest.raises(ValueError):
        surrogate_generate(SPACE, synthetic(), init=1)
    with pytest.raises(ValueError):
        surrogate_generate(SPACE, synthetic(), optimizer="grid")
    with pytest.raises(ValueError):
        ArchSurrogate(SPACE, features="paths")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_fit_and_predict(tmp_path):
    archs = SPACE.sample(40, generator=torch.Generator().manual_seed(0))
    y = synthetic()(archs).numpy()
    cpu = ArchSurrogate(SPACE, seed=1, **FAST).fit(archs, y)
    moved = ArchSurrogate.load(cpu.save(tmp_path / "m.pt"), device="cuda")
    np.testing.assert_allclose(moved.predict(archs), cpu.predict(archs), atol=1e-4)
    gpu = ArchSurrogate(SPACE, seed=1, device="cuda", **FAST).fit(archs, y)
    assert spearmanr(gpu.predict(archs), cpu.predict(archs))[0] > 0.95
    res = surrogate_generate(
        SPACE, synthetic(2), init=10, max_queries=30, search_queries=200, popsize=10,
        num_steps=10, surrogate={**FAST, "device": "cuda"}, device="cuda",
    )  # fmt: skip
    assert res.unique_queries == 30 == len({str(a) for a in _pop(res)})
