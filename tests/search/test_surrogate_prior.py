"""Surrogate mode with ``prior=``: related tasks meta-train the predictor, the held-out
task's values never enter meta-training, the first query is the prior's best, save/load."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ednag_opt import search
from ednag_opt.fitness import CachedFitness, FunctionFitness
from ednag_opt.fitness.predictors import PriorSurrogate
from ednag_opt.fitness.predictors import transfer as transfer_mod
from ednag_opt.spaces import get_space

SPACE = get_space("nas-bench-201")
PRIOR = {"epochs": 40, "hidden": 32, "n_models": 2, "pairs": 256, "adapt_epochs": 30}
FAST = dict(search_queries=60, popsize=10, num_steps=5, per_round=3, optimizer="exhaustive")


def task(seed: int, shift: float = 0.0):
    """Additive op scores; ``shift`` marks a task's values (leak detection)."""
    table = np.random.default_rng(seed).normal(size=(6, 5))

    def f(archs) -> np.ndarray:
        ops = np.array([a.ops for a in archs]).reshape(-1, 6)
        return table[np.arange(6), ops].sum(axis=1) + shift

    return f


@pytest.fixture(scope="module")
def archs():
    return SPACE.sample(400, generator=torch.Generator().manual_seed(1))


def test_held_out_values_never_enter_meta_training(monkeypatch, archs):
    torch.set_num_threads(1)
    seen: list[np.ndarray] = []
    fit = PriorSurrogate.fit

    def spy(self, tasks):
        seen.extend(np.asarray(y) for _, y in tasks)
        return fit(self, tasks)

    monkeypatch.setattr(transfer_mod.PriorSurrogate, "fit", spy)
    calls: list[int] = []
    held = task(7, shift=1000.0)  # every held-out value is > 900, prior values are < 100

    def target(a):
        calls.append(len(a))
        return held(a)

    prior = [(archs, task(1)(archs)), FunctionFitness(lambda a: task(2)(a), maximize=True)]
    res = search("surrogate", SPACE, target, maximize=True, prior=prior, max_queries=12,
                 seed=0, prior_options=PRIOR, **FAST)  # fmt: skip
    assert len(seen) == 2 and all((y < 100).all() for y in seen)
    assert sum(calls) == res.unique_queries == 12  # the target is queried only by the search
    assert min(v for _, v in res.queries) > 900
    assert "prior_fit_time" in res.extras


def test_first_query_is_the_prior_argmax_and_transfer_helps(archs):
    torch.set_num_threads(1)
    f = task(3)
    prior = PriorSurrogate(SPACE, seed=0, **PRIOR).fit([(archs, f(archs))])
    every = SPACE.enumerate()
    best_prior = every[int(np.argmax(prior.predict(every)))]
    res = search("surrogate", SPACE, FunctionFitness(lambda a: f(a), maximize=True),
                 prior=prior, max_queries=6, seed=0, **FAST)  # fmt: skip
    assert str(res.queries[0][0]) == str(best_prior)
    opt = f(every).max()
    assert res.best_fitness >= opt - 0.5  # near the optimum within 6 queries
    plain = search("surrogate", SPACE, FunctionFitness(lambda a: f(a), maximize=True),
                   max_queries=6, seed=0, surrogate={"epochs": 30}, **FAST)  # fmt: skip
    assert res.best_fitness > plain.best_fitness


def test_minimised_target_and_loaded_prior(tmp_path, archs):
    torch.set_num_threads(1)
    f = task(4)
    path = PriorSurrogate(SPACE, seed=0, **PRIOR).fit([(archs, f(archs))]).save(tmp_path / "p.pt")
    loaded = PriorSurrogate.load(path)
    fit = CachedFitness(FunctionFitness(lambda a: -f(a), maximize=False))
    a = search("surrogate", SPACE, fit, prior=[loaded], max_queries=9, seed=1, **FAST)
    b = search("surrogate", SPACE, CachedFitness(FunctionFitness(lambda a: -f(a), maximize=False)),
               prior=loaded, max_queries=9, seed=1, **FAST)  # fmt: skip
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]
    every = SPACE.enumerate()
    assert a.best_fitness <= np.quantile(-f(every), 0.01)  # minimised: a top-1% cell


def test_prior_errors(archs):
    f = FunctionFitness(lambda a: task(1)(a), maximize=True)
    with pytest.raises(TypeError, match="non-empty list"):
        search("surrogate", SPACE, f, prior=[], max_queries=3)
    with pytest.raises(ValueError, match="not fitted"):
        search("surrogate", SPACE, f, prior=PriorSurrogate(SPACE), max_queries=3)
    fitted = PriorSurrogate(SPACE, seed=0, **{**PRIOR, "epochs": 2}).fit([(archs, task(1)(archs))])
    with pytest.raises(ValueError, match="prior_options"):
        search("surrogate", SPACE, f, prior=fitted, prior_options={"hidden": 8}, max_queries=3)
    with pytest.raises(ValueError, match="not mixed"):
        search("surrogate", SPACE, f, prior=[fitted, (archs, task(2)(archs))], max_queries=3)
    with pytest.raises(ValueError, match="transnas-micro"):
        search("surrogate", "transnas-micro", f, prior=fitted, max_queries=3)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_prior_on_cuda_matches_cpu_and_searches(tmp_path, archs):
    torch.set_num_threads(1)
    f = task(5)
    cpu = PriorSurrogate(SPACE, seed=0, **PRIOR).fit([(archs, f(archs))])
    moved = PriorSurrogate.load(cpu.save(tmp_path / "p.pt"), device="cuda")
    assert moved.device.type == "cuda"
    every = SPACE.enumerate()
    np.testing.assert_allclose(moved.predict(every), cpu.predict(every), rtol=1e-4, atol=1e-4)
    gpu = PriorSurrogate(SPACE, seed=0, device="cuda", **PRIOR).fit([(archs, f(archs))])
    rho = np.corrcoef(gpu.predict(every), cpu.predict(every))[0, 1]
    assert rho > 0.95  # trained on the GPU: other kernels, the same model up to rounding
    fit = FunctionFitness(lambda a: f(a), maximize=True)
    res = search("surrogate", SPACE, fit, prior=gpu, max_queries=6, seed=0,
                 surrogate={"device": "cuda"}, **FAST)  # fmt: skip
    assert res.unique_queries == 6
    assert res.best_fitness >= np.quantile(f(every), 0.99)


def test_a_misleading_prior_is_dropped_at_the_first_stall(archs):
    torch.set_num_threads(1)
    f = task(5)
    wrong = PriorSurrogate(SPACE, seed=0, **PRIOR).fit([(archs, task(6)(archs))])  # unrelated
    runs = {}
    for mode in ("restart", "drop"):
        fit = CachedFitness(FunctionFitness(lambda a: f(a), maximize=True))
        runs[mode] = search("surrogate", SPACE, fit, prior=wrong, max_queries=45, seed=0,
                            restart_after=6, prior_stall=mode, surrogate={"epochs": 30},
                            **FAST)  # fmt: skip
    at = runs["drop"].extras["prior_dropped_at"]
    assert runs["restart"].extras["prior_dropped_at"] is None and at is not None and at >= 6
    keys = [[str(a) for a, _ in runs[m].queries] for m in ("restart", "drop")]
    assert keys[0][:at] == keys[1][:at]  # the same search until the stall
    assert runs["drop"].best_fitness > runs["restart"].best_fitness  # then it recovers
    with pytest.raises(ValueError, match="prior_stall"):
        search("surrogate", SPACE, f, maximize=True, prior=wrong, prior_stall="forget",
               max_queries=3, **FAST)  # fmt: skip
