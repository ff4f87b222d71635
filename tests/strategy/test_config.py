"""DDIMConfig: validation of every hyperparameter, presets as instances, state checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ednag_opt import DDIMConfig, EvolutionaryDDIM
from ednag_opt.search import PRESETS, EDNAGPreset


@pytest.mark.parametrize(
    "kwargs, error, match",
    [
        (dict(temperature=math.nan), ValueError, "temperature"),
        (dict(temperature=0.0), ValueError, "temperature"),
        (dict(init_scale=math.inf), ValueError, "init_scale"),
        (dict(init_scale=1e38), ValueError, "overflows"),
        (dict(sigma=math.nan), ValueError, "sigma"),
        (dict(power=-1.0), ValueError, "power"),
        (dict(elite_frac=math.nan), ValueError, "elite_frac"),
        (dict(popsize=1), ValueError, "popsize"),
        (dict(popsize=2.5), ValueError, "popsize"),
        (dict(popsize=True), ValueError, "popsize"),
        (dict(num_steps=0), ValueError, "num_steps"),
        (dict(dtype=torch.bfloat16), ValueError, "half precision"),
        (dict(dtype=torch.float16), ValueError, "half precision"),
        (dict(dtype="float8"), ValueError, "dtype"),
        (dict(dtype=torch.int32), ValueError, "floating point"),
        (dict(maximize="yes"), TypeError, "maximize"),
        (dict(schedule="cosinus"), ValueError, "schedule"),
        (dict(schedule=[0.5, 0.4]), ValueError, "schedule"),
        (dict(fitness_map="nope"), ValueError, "fitness_map"),
    ],
)
def test_bad_hyperparameters_raise_early(kwargs, error, match):
    with pytest.raises(error, match=match):
        DDIMConfig(**kwargs)
    with pytest.raises(error, match=match):
        EvolutionaryDDIM(shape=(3,), **kwargs)


def test_numpy_integers_and_dtype_names_are_accepted():
    es = EvolutionaryDDIM(shape=(np.int64(3),), popsize=np.int64(8), num_steps=np.int32(4),
                          seed=np.int64(1), dtype="float64")  # fmt: skip
    assert es.popsize == 8 and es.dtype == torch.float64 and es.ask().dtype == torch.float64
    assert DDIMConfig(dtype=np.float32).dtype == torch.float32


def test_unknown_option_raises():
    with pytest.raises(TypeError, match="popsiz"):
        EvolutionaryDDIM(shape=(3,), popsiz=10)
    with pytest.raises(TypeError):
        DDIMConfig().replace(sigmaa=1.0)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the machine without CUDA")
def test_cuda_without_cuda_fails_at_construction():
    with pytest.raises(ValueError, match="CUDA is not available"):
        EvolutionaryDDIM(shape=(3,), device="cuda")


def test_config_is_frozen_and_round_trips():
    cfg = DDIMConfig(popsize=12, sigma=0.5, schedule="cosine")
    with pytest.raises(AttributeError):
        cfg.sigma = 1.0  # type: ignore[misc]
    assert DDIMConfig.from_dict(cfg.to_dict()) == cfg
    es = EvolutionaryDDIM(shape=(2,), config=cfg, num_steps=7)
    assert es.config == cfg.replace(num_steps=7) and es.popsize == 12


def test_presets_are_config_instances():
    assert all(isinstance(p, EDNAGPreset) and isinstance(p.strategy, DDIMConfig)
               for p in PRESETS.values())  # fmt: skip
    paper = PRESETS["paper"].strategy
    assert (paper.popsize, paper.num_steps, paper.schedule, paper.sigma) == (30, 100, "cosine", 0.8)
    assert paper.fitness_map == "energy" and PRESETS["paper"].novelty is False


@pytest.mark.parametrize(
    "other",
    [dict(dtype=torch.float32), dict(sigma=0.3), dict(temperature=0.2), dict(elite_frac=0.0),
     dict(schedule="cosine"), dict(bounds=(-1.0, 2.0))],  # fmt: skip
)
def test_load_state_dict_refuses_another_configuration(other):
    base = dict(shape=(4,), popsize=6, num_steps=5, dtype=torch.float64, bounds=(-1.0, 1.0))
    a = EvolutionaryDDIM(**base)
    a.ask()
    a.tell(torch.arange(6.0))
    b = EvolutionaryDDIM(**{**base, **other})
    with pytest.raises(ValueError, match="another configuration|other bounds"):
        b.load_state_dict(a.state_dict())


def test_same_configuration_resumes_bit_identically():
    kw = dict(shape=(4,), popsize=6, num_steps=6, seed=3)
    a = EvolutionaryDDIM(**kw)
    f = lambda x: x.pow(2).sum(1)  # noqa: E731
    for _ in range(2):
        a.tell(f(a.ask()))
    b = EvolutionaryDDIM(**kw)
    b.load_state_dict(a.state_dict())
    assert torch.equal(a.ask(), b.ask())


def test_tell_returns_survivors_and_metrics():
    es = EvolutionaryDDIM(shape=(3,), popsize=5, num_steps=4, seed=0)
    es.ask()
    first = es.tell(torch.arange(5.0))
    assert first.survivors.tolist() == [0, 1, 2, 3, 4] and first.metrics["generation"] == 1
    parents = es.population.clone()
    offspring = es.ask()
    told = es.tell(torch.full((5,), 10.0))  # offspring all worse than every parent
    pool = torch.cat([parents, offspring])
    assert told.survivors.shape == (5,) and told.metrics == es.history[-1]
    assert torch.equal(es.population, pool[told.survivors])
    assert 0 in told.survivors.tolist()  # the best parent (fitness 0) is an elite


def test_small_populations_run_single_threaded_and_restore(monkeypatch):
    from ednag_opt.strategy.guidance import rank_map

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    seen: list[int] = []

    def fmap(scores):  # called inside ask and tell
        seen.append(torch.get_num_threads())
        return rank_map(scores)

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        es = EvolutionaryDDIM(shape=(5,), popsize=8, num_steps=3, fitness_map=fmap)
        while not es.done:
            es.tell(es.ask().pow(2).sum(1))
        assert seen and set(seen) == {1} and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
