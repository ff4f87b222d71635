"""pymoo conventions of EDNAG: option checking, sampling and repair objects, presets."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.core.population import Population
from pymoo.core.repair import Repair
from pymoo.operators.sampling.lhs import LHS
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations import EDNAG
from ednag_opt.integrations.pymoo import (
    PYMOO_CONFIG,
    PYMOO_CONTINUOUS_CONFIG,
    continuous_pop_size,
)
from ednag_opt.strategy.config import DDIMConfig


@pytest.mark.parametrize("typo, hint", [("popsize", "pop_size"), ("n_step", "n_steps"),
                                         ("verbos", "verbose"), ("frobnicate", None)])  # fmt: skip
def test_unknown_or_misspelt_options_raise_naming_the_option(typo, hint):
    with pytest.raises(TypeError, match=f"'{typo}'") as info:
        EDNAG(**{typo: 20})
    if hint:
        assert f"did you mean {hint!r}" in str(info.value)


def test_pymoo_algorithm_options_are_accepted():
    alg = EDNAG(pop_size=10, verbose=False, save_history=True, seed=3,
                return_least_infeasible=True, termination=("n_gen", 4))  # fmt: skip
    res = minimize(get_problem("sphere", n_var=3), alg)
    assert len(res.history) == 4 and res.algorithm.base_seed == 3


def test_defaults_are_the_adapter_preset_and_config_overrides():
    alg = EDNAG()
    assert alg.config == PYMOO_CONFIG and alg.pop_size == PYMOO_CONFIG.popsize
    assert alg.n_steps is None  # one diffusion fitted to the termination
    nas = EDNAG(config=DDIMConfig(), sigma=0.5, constraint_handling="feasibility")
    assert nas.config == DDIMConfig(sigma=0.5) and nas.pop_size == 30
    with pytest.raises(ValueError, match="constraint_handling"):
        EDNAG(constraint_handling="death-penalty")
    with pytest.raises(TypeError, match="config"):
        EDNAG(config={"popsize": 3})
    with pytest.raises(ValueError, match="mixing"):
        EDNAG(mixing=1.5)


class _Record:
    def __init__(self):
        self.first = None

    def __call__(self, x, out):
        if self.first is None:
            self.first = np.array(x, copy=True)


@pytest.mark.parametrize("kind", ["sampling", "population", "array"])
def test_sampling_gives_the_first_population(kind):
    problem = get_problem("sphere", n_var=4)
    x0 = np.random.default_rng(0).uniform(0.2, 0.8, size=(10, 4))
    sampling = {"sampling": LHS(), "population": Population.new("X", x0), "array": x0}[kind]
    rec = _Record()
    problem.callback = rec
    res = minimize(problem, EDNAG(pop_size=10, sampling=sampling), ("n_gen", 5), seed=1)
    first = rec.first
    if kind == "sampling":  # a Latin hypercube: one point in each of the 10 strata per axis
        strata = np.floor(first * 10).astype(int)
        assert all(sorted(strata[:, j]) == list(range(10)) for j in range(4))
    else:
        assert np.allclose(first, x0)
    assert res.algorithm.evaluator.n_eval == 50
    with pytest.raises(ValueError, match="sampling"):
        minimize(problem, EDNAG(pop_size=5, sampling=x0), ("n_gen", 2), seed=1)
    with pytest.raises(TypeError, match="sampling"):
        EDNAG(sampling="lhs")


class _Snap(Repair):
    """Rounds every variable to a grid of 0.1."""

    def _do(self, problem, X, **kwargs):
        return np.round(X * 10) / 10


def test_repair_is_applied_and_the_strategy_continues_from_it():
    problem = get_problem("sphere", n_var=4)
    seen = []
    problem.callback = lambda x, out: seen.append(np.array(x, copy=True))
    algorithm = EDNAG(pop_size=10, repair=_Snap(), config=PYMOO_CONFIG)  # no frame
    res = minimize(problem, algorithm, ("n_gen", 20), seed=0)
    allx = np.concatenate(seen)
    assert np.allclose(allx * 10, np.round(allx * 10))  # only repaired points evaluated
    u = res.algorithm.strategy.population.numpy()  # the strategy holds repaired points
    assert np.allclose(u * 10, np.round(u * 10))
    assert res.F[0] <= 0.01 + 1e-12  # on the grid, near x = 0.5 (a random point: ~0.3)
    with pytest.raises(TypeError, match="Repair"):
        EDNAG(repair=lambda x: x)


def test_mixing_is_reproducible_and_off_gives_the_plain_diffusion():
    problem = get_problem("rastrigin", n_var=5)
    a = minimize(problem, EDNAG(pop_size=10, mixing=0.3), ("n_gen", 20), seed=2)
    b = minimize(problem, EDNAG(pop_size=10, mixing=0.3), ("n_gen", 20), seed=2)
    c = minimize(problem, EDNAG(pop_size=10, mixing=0.0), ("n_gen", 20), seed=2)
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)


def test_continuous_preset_on_unconstrained_real_problems_only():
    sphere = minimize(get_problem("sphere", n_var=10), EDNAG(), ("n_eval", 400), seed=1)
    alg = sphere.algorithm
    assert alg.config == PYMOO_CONTINUOUS_CONFIG and alg.pop_size == continuous_pop_size(10) == 20
    assert alg.strategy.state.frame is not None
    g1 = minimize(get_problem("g1"), EDNAG(), ("n_eval", 300), seed=1).algorithm
    assert g1.config == PYMOO_CONFIG and g1.pop_size == 30 and g1.strategy.state.frame is None
    own = minimize(get_problem("sphere", n_var=10), EDNAG(config=PYMOO_CONFIG, pop_size=12),
                   ("n_eval", 240), seed=1).algorithm  # fmt: skip
    assert own.config == PYMOO_CONFIG and own.pop_size == 12 and own.strategy.state.frame is None
    small = minimize(get_problem("sphere", n_var=10), EDNAG(pop_size=8, sigma=0.5),
                     ("n_eval", 160), seed=1).algorithm  # fmt: skip
    assert small.pop_size == 8 and small.config == PYMOO_CONTINUOUS_CONFIG.replace(sigma=0.5)


def test_collapsed_frame_restarts_with_a_doubled_population():
    # a 2-variable sphere converges to the float64 floor well within 4000 evaluations
    res = minimize(get_problem("sphere", n_var=2), EDNAG(global_share=0), ("n_eval", 4000), seed=3)
    alg = res.algorithm
    assert alg.restarts >= 1 and alg.strategy.popsize == alg.pop_size * 2**alg.restarts
    assert res.F[0] < 1e-20 and np.isfinite(res.F).all()
