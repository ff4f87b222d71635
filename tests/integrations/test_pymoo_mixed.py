"""EDNAG on pymoo's mixed variables (Real, Integer, Choice, Binary) and discrete problems."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.core.problem import ElementwiseProblem, Problem
from pymoo.core.variable import Binary, Choice, Integer, Real
from pymoo.optimize import minimize

from ednag_opt.integrations import EDNAG

COST = {"a": 3.0, "b": 0.0, "c": 1.0, "d": 2.0}


class MixedProblem(ElementwiseProblem):
    """Optimum 0 at x=1.3, n=4, c='b', flag=True."""

    def __init__(self, **kwargs):
        variables = {
            "x": Real(bounds=(-5.0, 5.0)),
            "n": Integer(bounds=(-3, 8)),
            "c": Choice(options=list("abcd")),
            "flag": Binary(),
        }
        super().__init__(vars=variables, n_obj=1, **kwargs)

    def _evaluate(self, X, out, *args, **kwargs):
        out["F"] = (
            (X["x"] - 1.3) ** 2 + (X["n"] - 4) ** 2 + COST[X["c"]] + (0.0 if X["flag"] else 1.5)
        )


class ConstrainedMixed(ElementwiseProblem):
    """max n + x subject to n + x <= 4.5: optimum -4.5 at n=4, x=0.5."""

    def __init__(self):
        variables = {"n": Integer(bounds=(0, 10)), "x": Real(bounds=(0.0, 1.0))}
        super().__init__(vars=variables, n_obj=1, n_ieq_constr=1)

    def _evaluate(self, X, out, *args, **kwargs):
        out["F"] = -(X["n"] + X["x"])
        out["G"] = X["n"] + X["x"] - 4.5


class Grid(Problem):
    """40 discrete solutions; records every evaluated one."""

    def __init__(self):
        variables = {"a": Integer(bounds=(0, 9)), "b": Choice(options=list("pqrs"))}
        super().__init__(vars=variables, n_obj=1)
        self.seen: list = []

    def _evaluate(self, X, out, *args, **kwargs):
        self.seen += [(x["a"], x["b"]) for x in X]
        out["F"] = np.array([[abs(x["a"] - 6) + "pqrs".index(x["b"])] for x in X], dtype=float)


def test_mixed_variables_find_the_optimum_with_the_right_types():
    res = minimize(MixedProblem(), EDNAG(pop_size=30, n_steps=60), ("n_gen", 60), seed=0)
    x = res.X
    assert set(x) == {"x", "n", "c", "flag"}
    assert isinstance(x["x"], float) and isinstance(x["n"], int)
    assert isinstance(x["flag"], bool) and x["c"] in "abcd"
    assert (x["n"], x["c"], x["flag"]) == (4, "b", True)
    assert abs(x["x"] - 1.3) < 0.05 and res.F[0] < 2.5e-3
    for ind in res.pop:
        assert -5 <= ind.X["x"] <= 5 and -3 <= ind.X["n"] <= 8


def test_mixed_elementwise_parity_with_ask_tell():
    problem = MixedProblem()
    a = minimize(problem, EDNAG(pop_size=10, n_steps=8), ("n_gen", 12), seed=4)
    alg = EDNAG(pop_size=10, n_steps=8)
    alg.setup(problem, termination=("n_gen", 12), seed=4)
    while alg.has_next():
        pop = alg.ask()
        alg.evaluator.eval(problem, pop)
        alg.tell(infills=pop)
    b = alg.result()
    assert a.X == b.X and a.F[0] == b.F[0]


def test_mixed_constraints_feasibility_first():
    res = minimize(ConstrainedMixed(), EDNAG(pop_size=20, n_steps=50), ("n_gen", 50), seed=1)
    assert res.CV[0] == 0.0
    assert res.X["n"] == 4 and res.F[0] == pytest.approx(-4.5, abs=2e-2)


def test_discrete_problems_never_evaluate_a_solution_twice():
    problem = Grid()
    res = minimize(problem, EDNAG(pop_size=10, n_steps=30), ("n_gen", 30), seed=0)
    assert len(problem.seen) == len(set(problem.seen)) == res.algorithm.evaluator.n_eval
    assert res.algorithm.n_distinct == len(problem.seen)
    assert res.X == {"a": 6, "b": "p"} and res.F[0] == 0.0
    if len(problem.seen) == 40:  # the whole space was enumerated: the run stops early
        assert res.algorithm.n_gen - 1 < 30


def test_eliminate_duplicates_can_be_switched_off():
    problem = Grid()
    res = minimize(problem, EDNAG(pop_size=10, n_steps=10, eliminate_duplicates=False),
                   ("n_gen", 10), seed=0)  # fmt: skip
    assert res.algorithm.evaluator.n_eval == len(problem.seen) == 100
    assert len(set(problem.seen)) < 100


def test_vector_problem_with_integer_vtype():
    class IntSphere(Problem):
        def __init__(self):
            super().__init__(n_var=5, n_obj=1, xl=-10, xu=10, vtype=int)

        def _evaluate(self, x, out, *args, **kwargs):
            assert np.issubdtype(np.asarray(x).dtype, np.integer)
            out["F"] = ((x - 3) ** 2).sum(axis=1, keepdims=True)

    res = minimize(IntSphere(), EDNAG(pop_size=20, n_steps=40), ("n_gen", 40), seed=0)
    assert res.F[0] == 0.0 and np.array_equal(res.X, np.full(5, 3))
    assert res.algorithm.evaluator.n_eval < 20 * 40  # duplicates are looked up
