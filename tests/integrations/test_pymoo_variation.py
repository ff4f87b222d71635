"""Recombination of the pymoo adapter (``integrations.pymoo_variation``) and its use."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations import EDNAG
from ednag_opt.integrations.pymoo_variation import recombine


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
