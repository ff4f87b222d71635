"""Recombination of the pymoo adapter (``integrations.pymoo_variation``) and its use."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations import EDNAG
from ednag_opt.integrations.pymoo import PYMOO_CONFIG
from ednag_opt.integrations.pymoo_variation import MIXING_MIN_DIM, recombine


def test_recombine_off_draws_nothing_and_changes_nothing():
    u = np.random.default_rng(0).random((6, 4))
    rng = np.random.default_rng(1)
    out, changed = recombine(u, u[::-1].copy(), 0.0, 1.0, rng)
    assert out is u and not changed
    assert rng.random() == np.random.default_rng(1).random()  # the stream is untouched


def test_parent_crossover_keeps_parent_coordinates_but_at_least_one_of_the_sample():
    n, d = 400, 10
    u, parents = np.zeros((n, d)), np.ones((n, d))
    out, changed = recombine(u, parents, 0.0, 0.2, np.random.default_rng(3))
    from_sample = out == 0.0
    assert changed and from_sample.any(axis=1).all()  # at least one per offspring
    assert abs(from_sample.mean() - (0.2 + 0.8 / d)) < 0.02  # CR plus the forced one
    with pytest.raises(ValueError, match="parents must have shape"):
        recombine(u, parents[:5], 0.0, 0.5, np.random.default_rng(3))


def test_crossover_option_is_checked_reproducible_and_changes_the_run():
    with pytest.raises(ValueError, match="crossover"):
        EDNAG(crossover=0.0)
    problem = get_problem("rastrigin", n_var=5)
    a = minimize(problem, EDNAG(crossover=0.5), ("n_gen", 15), seed=2)
    b = minimize(problem, EDNAG(crossover=0.5), ("n_gen", 15), seed=2)
    c = minimize(problem, EDNAG(crossover=1.0), ("n_gen", 15), seed=2)
    assert a.algorithm.crossover == 0.5 and c.algorithm.crossover == 1.0
    assert np.array_equal(a.X, b.X) and not np.array_equal(a.X, c.X)


def test_after_a_restart_the_population_is_the_new_diffusion():
    seen = []

    def callback(algorithm):
        if algorithm.n_gen == 6:  # generations 1-5: the first diffusion; 6: the restart
            off = {tuple(x) for x in algorithm.off.get("X")}
            seen.append(all(tuple(x) in off for x in algorithm.pop.get("X")))

    minimize(get_problem("sphere", n_var=3), EDNAG(pop_size=6, n_steps=5, crossover=0.5),
             ("n_gen", 8), seed=1, callback=callback)  # fmt: skip
    assert seen == [True]


def _mixing_after_setup(problem, **kw) -> float:
    alg = EDNAG(**kw)
    alg.setup(problem, termination=("n_eval", 300), seed=0)
    return alg.mixing


def test_no_mixing_on_constrained_two_variable_problems_by_default():
    assert MIXING_MIN_DIM == 3
    assert _mixing_after_setup(get_problem("g6")) == 0.0  # 2 variables, constrained
    assert _mixing_after_setup(get_problem("g8")) == 0.0
    assert _mixing_after_setup(get_problem("g7")) == 0.3  # 10 variables
    assert _mixing_after_setup(get_problem("himmelblau")) == 0.3  # unconstrained preset
    assert _mixing_after_setup(get_problem("g6"), mixing=0.3) == 0.3  # explicit: kept
    assert _mixing_after_setup(get_problem("g6"), config=PYMOO_CONFIG) == 0.3  # the ablation


def test_two_variable_rule_changes_the_run_and_the_former_default_is_reachable():
    def best(**kw) -> float:
        return float(minimize(get_problem("g6"), EDNAG(**kw), ("n_eval", 900), seed=2).F[0])

    default, explicit_off, former = best(), best(mixing=0.0), best(mixing=0.3)
    assert default == explicit_off != former
    assert former == best(config=PYMOO_CONFIG)
