import copy
import math
import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from ednag_opt import EvolutionaryDDIM
from ednag_opt.problems import get_problem


def sphere(x):
    return (x.reshape(x.shape[0], -1) ** 2).sum(1)


def run_all(es, f=sphere):
    asked = []
    while not es.done:
        x = es.ask()
        asked.append(x)
        es.tell(f(x))
    return asked


def test_ask_tell_contract_and_generations():
    es = EvolutionaryDDIM(shape=(4,), popsize=6, num_steps=5, seed=0)
    assert es.generation == 0 and not es.done
    with pytest.raises(RuntimeError, match="without a preceding ask"):
        es.tell(torch.zeros(6))
    x = es.ask()
    assert x.shape == (6, 4) and x.dtype == torch.float32
    with pytest.raises(RuntimeError, match="ask\\(\\) called twice"):
        es.ask()
    with pytest.raises(ValueError, match=r"shape \(6,\)"):
        es.tell(torch.zeros(5))
    es.tell(sphere(x))
    assert es.timestep == 4
    steps = 1
    while not es.done:
        es.tell(sphere(es.ask()))
        steps += 1
    assert steps == 5 and es.generation == 5 and es.timestep == 0
    with pytest.raises(RuntimeError, match="done"):
        es.ask()
    assert len(es.history) == 5 and es.history[-1]["evaluations"] == 30


def test_first_ask_is_standard_normal_and_shapes():
    es = EvolutionaryDDIM(shape=(3, 5), popsize=2000, num_steps=3, seed=1)
    x = es.ask()
    assert x.shape == (2000, 3, 5)
    assert abs(x.mean().item()) < 0.02 and abs(x.std().item() - 1) < 0.02


def test_num_dims_and_fitness_types():
    es = EvolutionaryDDIM(num_dims=3, popsize=4, num_steps=3)
    assert es.shape == (3,)
    es.ask()
    es.tell([1, 2, 3, 4])
    es.ask()
    es.tell(np.array([[1.0], [2.0], [0.5], [4.0]]))
    assert es.best_fitness == 0.5
    es.ask()
    with pytest.raises(TypeError, match="numeric"):
        es.tell(["a", "b", "c", "d"])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({}, "shape"),
        ({"shape": (2,), "num_dims": 2}, "either"),
        ({"shape": (0,)}, "positive"),
        ({"shape": (2,), "popsize": 1}, "popsize"),
        ({"shape": (2,), "num_steps": 1}, "num_steps"),
        ({"shape": (2,), "elite_frac": 1.5}, "elite_frac"),
        ({"shape": (2,), "elite_frac": 0.6, "diversity_frac": 0.6}, "exceed"),
        ({"shape": (2,), "sigma": -1.0}, "sigma"),
        ({"shape": (2,), "fitness_map": "nope"}, "fitness_map"),
        ({"shape": (2,), "bounds": (1.0, 0.0)}, "upper"),
        ({"shape": (2,), "bounds": (0.0, [1.0, 2.0, 3.0])}, "broadcast"),
        ({"shape": (2,), "bounds_mode": "wrap"}, "bounds_mode"),
        ({"shape": (2,), "dtype": torch.int64}, "floating"),
    ],
)
def test_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        EvolutionaryDDIM(**kwargs)


def test_same_seed_bit_identical_and_different_seeds_differ():
    a = run_all(EvolutionaryDDIM(num_dims=5, popsize=10, num_steps=20, seed=3))
    b = run_all(EvolutionaryDDIM(num_dims=5, popsize=10, num_steps=20, seed=3))
    c = run_all(EvolutionaryDDIM(num_dims=5, popsize=10, num_steps=20, seed=4))
    assert all(torch.equal(p, q) for p, q in zip(a, b))
    assert not torch.equal(a[-1], c[-1])


@pytest.mark.parametrize("mode", ["state_dict", "pickle", "deepcopy"])
def test_resume_mid_run_bit_identical(mode):
    kw = dict(num_dims=6, popsize=12, num_steps=15, seed=7, bounds=(-2, 3))
    ref = EvolutionaryDDIM(**kw)
    for _ in range(6):
        ref.tell(sphere(ref.ask()))
    if mode == "state_dict":
        other = EvolutionaryDDIM(**kw)
        other.load_state_dict(ref.state_dict())
    elif mode == "pickle":
        other = pickle.loads(pickle.dumps(ref))
    else:
        other = copy.deepcopy(ref)
    rest_a, rest_b = run_all(ref), run_all(other)
    assert all(torch.equal(p, q) for p, q in zip(rest_a, rest_b))
    assert ref.best_fitness == other.best_fitness
    assert ref.history == other.history


def test_state_dict_is_a_copy_and_checks_config():
    es = EvolutionaryDDIM(num_dims=3, popsize=4, num_steps=5, seed=0)
    es.tell(sphere(es.ask()))
    sd = es.state_dict()
    es.tell(sphere(es.ask()))
    assert sd["state"]["generation"] == 1
    with pytest.raises(ValueError, match="popsize"):
        EvolutionaryDDIM(num_dims=3, popsize=5, num_steps=5).load_state_dict(sd)
    with pytest.raises(ValueError, match="state_dict"):
        es.load_state_dict({"bad": 1})


def test_mid_ask_state_resumes():
    kw = dict(num_dims=3, popsize=5, num_steps=6, seed=2)
    a = EvolutionaryDDIM(**kw)
    a.tell(sphere(a.ask()))
    xa = a.ask()
    b = EvolutionaryDDIM(**kw)
    b.load_state_dict(a.state_dict())
    a.tell(sphere(xa))
    b.tell(sphere(xa))
    assert torch.equal(a.ask(), b.ask())


def test_nan_and_inf_fitness_handled_as_worst():
    es = EvolutionaryDDIM(num_dims=2, popsize=8, num_steps=10, seed=0)
    while not es.done:
        x = es.ask()
        f = sphere(x)
        f[::2] = float("nan")
        f[1] = float("inf")
        es.tell(f)
        assert torch.isfinite(es.population).all()
    assert math.isfinite(es.best_fitness)
    all_nan = EvolutionaryDDIM(num_dims=2, popsize=4, num_steps=3, seed=0)
    run_all(all_nan, lambda x: torch.full((4,), float("nan")))
    assert all_nan.best_fitness is None and torch.isfinite(all_nan.population).all()


def test_parents_never_reevaluated_and_selection_keeps_best():
    calls = []

    def counted(x):
        calls.append(x.shape[0])
        return sphere(x)

    es = EvolutionaryDDIM(num_dims=3, popsize=10, num_steps=8, seed=0)
    best_seen = []
    while not es.done:
        es.tell(counted(es.ask()))
        best_seen.append(es.fitness.min().item())
    assert sum(calls) == 80
    assert all(b2 <= b1 for b1, b2 in zip(best_seen, best_seen[1:]))  # elitism
    assert es.fitness.min().item() == es.best_fitness


def test_no_selection_replaces_population():
    es = EvolutionaryDDIM(num_dims=3, popsize=6, num_steps=4, seed=0, selection=False)
    es.tell(sphere(es.ask()))
    x = es.ask()
    es.tell(sphere(x))
    assert torch.equal(es.population, x)


def test_bounds_map_into_box():
    es = EvolutionaryDDIM(num_dims=4, popsize=50, num_steps=5, seed=0, bounds=(-3.0, 7.0))
    while not es.done:
        x = es.ask()
        assert (x >= -3.0).all() and (x <= 7.0).all()
        es.tell(sphere(x))
    clip = EvolutionaryDDIM(
        num_dims=4, popsize=200, num_steps=2, seed=0, bounds=(0, 1), bounds_mode="clip"
    )
    x = clip.ask()
    assert ((x == 0) | (x == 1)).float().mean() > 0.2  # ~32% of N(0,1) lies outside [-1, 1]


def test_constraint_feasibility_first():
    es = EvolutionaryDDIM(num_dims=3, popsize=20, num_steps=40, seed=0)
    while not es.done:
        x = es.ask()
        es.tell(sphere(x), violation=(1.0 - x[:, 0]).clamp(min=0))  # need x0 >= 1
    assert es.best_solution[0] >= 1.0
    assert es.best_fitness == pytest.approx(1.0, abs=0.2)
    with pytest.raises(ValueError, match="violation"):
        es2 = EvolutionaryDDIM(num_dims=1, popsize=2, num_steps=3)
        es2.ask()
        es2.tell([1.0, 2.0], violation=[-1.0, 0.0])


def test_keys_length_checked():
    es = EvolutionaryDDIM(num_dims=1, popsize=3, num_steps=3)
    es.ask()
    with pytest.raises(ValueError, match="keys"):
        es.tell([1, 2, 3], keys=["a"])


def test_convergence_on_sphere():
    p = get_problem("sphere", 10)
    es = EvolutionaryDDIM(num_dims=10, popsize=30, num_steps=100, seed=0, bounds=p.bounds)
    _, best = es.run(p)
    assert best < 1e-2
    cos = EvolutionaryDDIM(
        num_dims=10, popsize=30, num_steps=100, seed=0, bounds=p.bounds, schedule="cosine"
    )
    _, best_cos = cos.run(p)
    assert best_cos > best  # the cosine schedule's precision floor: noise 1e-4 at t = 0
    es_max = EvolutionaryDDIM(num_dims=5, popsize=30, num_steps=60, seed=1, maximize=True)
    _, best = es_max.run(lambda x: -sphere(x - 0.5))
    assert best > -1e-2


def test_run_callback_called_each_generation():
    seen = []
    es = EvolutionaryDDIM(num_dims=2, popsize=4, num_steps=5)
    es.run(sphere, callback=lambda s: seen.append(s.generation))
    assert seen == [1, 2, 3, 4, 5]


@settings(max_examples=25, deadline=None)
@given(
    shape=st.lists(st.integers(1, 4), min_size=1, max_size=3),
    popsize=st.integers(2, 12),
    dtype=st.sampled_from([torch.float32, torch.float64]),
    fmap=st.sampled_from(["rank", "energy"]),
    seed=st.integers(0, 2**31 - 1),
)
def test_property_shapes_dtypes(shape, popsize, dtype, fmap, seed):
    es = EvolutionaryDDIM(
        shape=tuple(shape), popsize=popsize, num_steps=4, seed=seed, dtype=dtype, fitness_map=fmap
    )
    while not es.done:
        x = es.ask()
        assert x.shape == (popsize, *shape) and x.dtype == dtype
        assert torch.isfinite(x).all()
        es.tell(sphere(x))
    assert es.best_solution.shape == tuple(shape)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 20).filter(lambda n: n != 6))
def test_property_wrong_fitness_length(n):
    es = EvolutionaryDDIM(num_dims=2, popsize=6, num_steps=3)
    es.ask()
    with pytest.raises(ValueError, match="fitness must have shape"):
        es.tell(torch.zeros(n))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_matches_cpu_noise():
    a = EvolutionaryDDIM(num_dims=3, popsize=5, num_steps=3, seed=0, device="cuda")
    b = EvolutionaryDDIM(num_dims=3, popsize=5, num_steps=3, seed=0)
    assert a.ask().device.type == "cuda"
    assert torch.allclose(a.state.pending.cpu(), b.ask())


def test_tell_solutions_replace_asked_points():
    es = EvolutionaryDDIM(num_dims=2, popsize=4, num_steps=3, seed=0, selection=False)
    x = es.ask()
    with pytest.raises(ValueError, match="solutions"):
        es.tell(sphere(x), solutions=x[:2])
    y = x + 1.0
    es.tell(sphere(y), solutions=y)
    assert torch.equal(es.population, y)
    bounded = EvolutionaryDDIM(num_dims=2, popsize=4, num_steps=3, bounds=(0, 2))
    x = bounded.ask()
    with pytest.raises(ValueError, match="inside the bounds"):
        bounded.tell(sphere(x), solutions=x + 5)
    inject = x.clone()
    inject[0] = torch.tensor([0.5, 1.5])
    bounded.tell(sphere(inject), solutions=inject)
    assert torch.allclose(bounded.population[0], inject[0])
    assert bounded.best_solution is not None


def test_latent_population_stays_folded():
    es = EvolutionaryDDIM(num_dims=3, popsize=20, num_steps=10, seed=0, bounds=(-1, 4))
    while not es.done:
        es.tell(sphere(es.ask()))
        assert es.state.latent.abs().max() <= 1.0
