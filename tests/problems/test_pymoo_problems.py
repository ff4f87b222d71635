"""Toy functions as pymoo problems, and the encoding of pymoo variables as a latent box."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from pymoo.core.variable import Binary, Choice, Integer, Real
from pymoo.optimize import minimize

from ednag_opt.integrations import EDNAG
from ednag_opt.problems import (
    ToyPymooProblem,
    VariableEncoding,
    as_pymoo_problem,
    get_problem,
    list_problems,
)

pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.mark.parametrize("name", list_problems())
def test_toy_problems_as_pymoo_problems(name):
    toy = get_problem(name, 4)
    problem = as_pymoo_problem(toy)
    assert isinstance(problem, ToyPymooProblem)
    assert problem.n_var == 4 and problem.n_obj == 1 and not problem.has_constraints()
    lo, hi = toy.bounds
    assert np.all(problem.xl == lo) and np.all(problem.xu == hi)
    x = np.random.default_rng(0).uniform(lo, hi, size=(7, 4))
    f = problem.evaluate(x)
    assert f.shape == (7, 1)
    np.testing.assert_allclose(f[:, 0], toy(torch.as_tensor(x)).numpy())
    assert problem.pareto_front()[0, 0] == pytest.approx(toy.optimum)
    fx = problem.evaluate(problem.pareto_set())[0, 0]
    assert fx == pytest.approx(toy.optimum, abs=1e-6)


def test_shifted_toy_by_name_and_pickle():
    toy = get_problem("rastrigin", 3, shift=1.5)
    problem = as_pymoo_problem(toy)
    assert problem.evaluate(np.full((1, 3), 1.5))[0, 0] == pytest.approx(0.0)
    assert as_pymoo_problem("sphere", dim=5).n_var == 5
    clone = pickle.loads(pickle.dumps(problem))
    assert clone.evaluate(np.zeros((1, 3)))[0, 0] == problem.evaluate(np.zeros((1, 3)))[0, 0]
    with pytest.raises(ValueError, match="dim"):
        as_pymoo_problem("sphere")
    with pytest.raises(TypeError):
        as_pymoo_problem(3.0)


def test_ednag_on_a_shifted_toy_problem():
    toy = get_problem("sphere", 5, shift=torch.tensor([1.0, -2.0, 0.5, 3.0, -4.0]))
    res = minimize(as_pymoo_problem(toy), EDNAG(pop_size=20, n_steps=60), ("n_gen", 60), seed=0)
    assert toy.error(res.F[0]) < 1e-2
    np.testing.assert_allclose(res.X, toy.optimum_x.numpy(), atol=0.1)


MIXED = {
    "r": Real(bounds=(-2.0, 3.0)),
    "i": Integer(bounds=(-1, 4)),
    "c": Choice(options=["x", 0.5, 7]),
    "b": Binary(),
}


def test_encoding_layout():
    enc = VariableEncoding(MIXED)
    assert enc.dim == 1 + 1 + 3 + 1 and enc.mixed and enc.discrete and enc.size is None
    np.testing.assert_array_equal(enc.lower, [-2.0, -1.5, -1, -1, -1, 0])
    np.testing.assert_array_equal(enc.upper, [3.0, 4.5, 1, 1, 1, 1])
    u = np.array([[0.25, 2.49, -0.2, 0.9, 0.1, 0.51], [3.0, 4.5, 1.0, -1.0, 0.0, 0.5]])
    assert enc.decode(u) == [
        {"r": 0.25, "i": 2, "c": 0.5, "b": True},
        {"r": 3.0, "i": 4, "c": "x", "b": False},
    ]
    d = VariableEncoding({"i": Integer(bounds=(0, 2)), "c": Choice(options=[1, 2])})
    assert d.size == 6 and d.keys(d.decode(d.encode([{"i": 2, "c": 2}]))) == [(2, 2)]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.0, 1.0), min_size=6, max_size=6))
def test_decode_stays_in_bounds_and_encode_inverts_it(w):
    enc = VariableEncoding(MIXED)
    u = enc.lower + np.asarray(w) * (enc.upper - enc.lower)
    (x,) = enc.decode(u[None])
    assert -2.0 <= x["r"] <= 3.0 and -1 <= x["i"] <= 4 and x["c"] in ("x", 0.5, 7)
    again = enc.decode(enc.encode([x]))
    assert enc.keys(again) == enc.keys([x])


def test_integers_and_choices_get_equal_shares_of_the_box():
    enc = VariableEncoding({"i": Integer(bounds=(0, 4)), "c": Choice(options=list("abc"))})
    u = np.random.default_rng(0).uniform(enc.lower, enc.upper, size=(30000, enc.dim))
    x = enc.decode(u)
    for name, values in (("i", range(5)), ("c", "abc")):
        counts = np.array([sum(r[name] == v for r in x) for v in values]) / len(x)
        np.testing.assert_allclose(counts, 1 / len(values), atol=0.015)


def test_vector_encoding_and_errors():
    enc = VariableEncoding(None, xl=[0, -1], xu=[1, 1], vtype=int)
    assert not enc.mixed and enc.size == 2 * 3
    assert enc.decode(np.array([[0.6, -1.4]])).tolist() == [[1, -1]]
    assert enc.decode(np.array([[0.2, 0.3]])).dtype.kind == "i"
    with pytest.raises(ValueError, match="finite bounds"):
        VariableEncoding({"r": Real(bounds=(0.0, None))})
    with pytest.raises(ValueError, match="bounded"):
        VariableEncoding(None)
    with pytest.raises(ValueError, match="shape"):
        enc.decode(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="not one of"):
        VariableEncoding({"c": Choice(options=[1, 2])}).encode([{"c": 3}])
