"""EDNAG as a pymoo algorithm: pymoo's own problems, constraints and the run protocol."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.algorithms.soo.nonconvex.random_search import RandomSearch
from pymoo.core.problem import Problem
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt import EvolutionaryDDIM
from ednag_opt.integrations import EDNAG, restart_seed
from ednag_opt.integrations.pymoo import PYMOO_CONFIG


def _run(problem, seed=1, n_gen=100, **kw):
    return minimize(problem, EDNAG(**kw), ("n_gen", n_gen), seed=seed)


def _random_search(problem, n_eval=3000, seed=1):
    algorithm = RandomSearch(n_points_per_iteration=100)
    return minimize(problem, algorithm, ("n_eval", n_eval), seed=seed)


@pytest.mark.parametrize("name", ["rastrigin", "ackley"])
def test_pymoo_benchmarks_beat_random_search(name):
    problem = get_problem(name, n_var=10)
    res = _run(problem)
    rnd = _random_search(problem)
    assert res.algorithm.evaluator.n_eval == 100 * res.algorithm.pop_size  # 2000: N = 20
    assert res.F[0] < 0.5 * rnd.F[0]  # rastrigin ~20 vs ~80, ackley ~5 vs ~18
    assert problem.evaluate(res.X[None])[0, 0] == pytest.approx(res.F[0])


def test_sphere_converges_near_the_optimum():
    res = _run(get_problem("sphere", n_var=10))
    assert res.F[0] < 1e-2  # random search: ~0.15
    assert np.abs(res.X - 0.5).max() < 0.1


def test_g1_reaches_a_feasible_and_good_solution():
    problem = get_problem("g1")
    res = _run(problem)
    assert res.CV[0] == 0.0
    g = problem.evaluate(res.X[None], return_values_of=["G"])
    assert (g <= 0).all()
    assert res.F[0] < -4.0  # optimum -15
    assert _random_search(problem).F is None  # 3000 random points: none feasible


@pytest.mark.parametrize("name", ["g24", "g8"])
def test_constrained_problems_near_their_optimum(name):
    problem = get_problem(name)
    res = _run(problem)
    opt = problem.pareto_front()[0, 0]
    assert res.CV[0] == 0.0
    assert abs(res.F[0] - opt) <= 1e-2 * abs(opt)
    rnd = _random_search(problem)
    assert abs(rnd.F[0] - opt) > abs(res.F[0] - opt)


def test_best_so_far_is_kept_in_opt_and_matches_the_history():
    problem = get_problem("rastrigin", n_var=10)
    res = minimize(problem, EDNAG(), ("n_gen", 30), seed=3, save_history=True)
    assert len(res.history) == 30
    best = [h.opt[0].F[0] for h in res.history]
    assert all(b2 <= b1 for b1, b2 in zip(best, best[1:], strict=False))
    assert [h.n_gen for h in res.history] == list(range(1, 31))
    assert res.F[0] == best[-1] == res.algorithm.strategy.best_fitness
    assert len(res.pop) == res.algorithm.pop_size and res.pop.get("F").min() >= res.F[0]


def test_first_diffusion_equals_the_plain_strategy():
    problem = get_problem("ackley", n_var=5)
    algorithm = EDNAG(pop_size=12, n_steps=20, mixing=0.0, config=PYMOO_CONFIG)  # no frame
    res = minimize(problem, algorithm, ("n_gen", 20), seed=7)
    es = EvolutionaryDDIM(
        shape=(5,), popsize=12, num_steps=20, seed=7, bounds=(problem.xl, problem.xu),
        dtype=res.algorithm.strategy.dtype,
    )  # fmt: skip
    es.run(lambda x: problem.evaluate(x.numpy())[:, 0])
    assert es.best_fitness == res.F[0]


def test_restarts_after_n_steps_are_seeded_deterministically():
    problem = get_problem("sphere", n_var=4)
    res = _run(problem, seed=5, n_gen=25, pop_size=8, n_steps=10)
    alg = res.algorithm
    assert alg.restarts == 2 and alg.strategy.generation == 5
    assert alg.strategy.seed == restart_seed(5, 2) != restart_seed(5, 1) != 5
    assert restart_seed(5, 0) == 5 and restart_seed(5, 2) == restart_seed(5, 2)
    cold = _run(problem, seed=5, n_gen=25, pop_size=8, n_steps=10, warm_start=False)
    assert cold.algorithm.restarts == 2


def test_warm_start_carries_the_best_into_the_next_diffusion():
    problem = get_problem("rastrigin", n_var=4)
    alg = EDNAG(pop_size=8, n_steps=5)
    alg.setup(problem, termination=("n_gen", 6), seed=0)
    for _ in range(5):
        pop = alg.ask()
        alg.evaluator.eval(problem, pop)
        alg.tell(infills=pop)
    best = alg.opt[0]
    pop = alg.ask()  # restart: the best is member 0, already evaluated, not asked again
    assert alg.restarts == 1 and len(pop) == 7
    alg.evaluator.eval(problem, pop)
    alg.tell(infills=pop)
    assert alg.n_gen == 7 and not alg.has_next()
    assert np.array_equal(alg.off[0].X, best.X) and alg.off[0].F[0] == best.F[0]
    assert alg.evaluator.n_eval == 5 * 8 + 7


def test_n_steps_none_fits_one_diffusion_to_the_termination():
    problem = get_problem("sphere", n_var=3)
    res = minimize(problem, EDNAG(pop_size=10, n_steps=None, global_share=0.0), ("n_eval", 200),
                   seed=0)  # fmt: skip
    assert res.algorithm.steps == 20 and res.algorithm.restarts == 0
    assert res.algorithm.strategy.done and res.algorithm.evaluator.n_eval == 200
    res = minimize(problem, EDNAG(pop_size=10, n_steps=None), ("n_gen", 7), seed=0)
    assert res.algorithm.steps == 7 and res.algorithm.strategy.done


def test_default_termination_stops():
    res = minimize(get_problem("sphere", n_var=3), EDNAG(pop_size=10, n_steps=50), seed=0)
    assert 1 < res.algorithm.n_gen < 1000
    assert res.F[0] < 1e-2


def test_seed_none_runs_and_differs():
    problem = get_problem("sphere", n_var=3)
    a = minimize(problem, EDNAG(pop_size=10, n_steps=5), ("n_gen", 5))
    b = minimize(problem, EDNAG(pop_size=10, n_steps=5), ("n_gen", 5))
    assert a.algorithm.base_seed != b.algorithm.base_seed
    c = minimize(problem, EDNAG(pop_size=10, n_steps=5, seed=4), ("n_gen", 5))
    assert c.algorithm.base_seed == 4


class _TwoObjectives(Problem):
    def __init__(self):
        super().__init__(n_var=2, n_obj=2, xl=0.0, xu=1.0)

    def _evaluate(self, x, out, *args, **kwargs):
        out["F"] = np.stack([x[:, 0], 1 - x[:, 0]], axis=1)


class _Unbounded(Problem):
    def __init__(self):
        super().__init__(n_var=2, n_obj=1)

    def _evaluate(self, x, out, *args, **kwargs):
        out["F"] = (x**2).sum(axis=1, keepdims=True)


def test_clear_errors():
    res = minimize(_TwoObjectives(), EDNAG(pop_size=10), ("n_gen", 3), seed=0)  # n_obj=2 (#16)
    assert res.F.shape[1] == 2
    with pytest.raises(ValueError, match="finite bounds"):
        minimize(_Unbounded(), EDNAG(), ("n_gen", 2))
    with pytest.raises(ValueError, match="pop_size"):
        EDNAG(pop_size=1)
    with pytest.raises(ValueError, match="n_steps"):
        EDNAG(n_steps=1)


def test_verbose_prints_the_columns(capsys):
    minimize(get_problem("g24"), EDNAG(pop_size=10, n_steps=3), ("n_gen", 3), seed=0, verbose=True)
    out = capsys.readouterr().out
    for col in ("n_gen", "n_eval", "cv_min", "f_min", "f_gap", "run", "spread"):
        assert col in out
    assert len([ln for ln in out.splitlines() if ln.strip().startswith(("1 |", "2 |", "3 |"))]) == 3


class _HalfNaN(Problem):
    def __init__(self):
        super().__init__(n_var=3, n_obj=1, xl=-1.0, xu=1.0)

    def _evaluate(self, x, out, *args, **kwargs):
        f = ((x - 0.2) ** 2).sum(axis=1)
        out["F"] = np.where(x[:, 0] > 0.5, np.nan, f)[:, None]


def test_nan_objectives_never_become_the_optimum():
    res = minimize(_HalfNaN(), EDNAG(pop_size=12, n_steps=20), ("n_gen", 20), seed=0)
    assert np.isfinite(res.F[0]) and res.X[0] <= 0.5 and res.F[0] < 0.05
    assert np.isfinite(res.pop.get("F")).any()
