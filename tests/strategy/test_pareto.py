"""Pareto dominance functions, checked against pymoo's own and against brute force."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from pymoo.operators.survival.rank_and_crowding.metrics import calc_crowding_distance
from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

from ednag_opt import EvolutionaryDDIM
from ednag_opt.strategy.pareto import (
    as_objectives,
    crowding_distance,
    dominance_matrix,
    hypervolume_contribution,
    non_dominated_rank,
    pareto_mask,
    pareto_scores,
    pareto_select,
)


def _random(n: int, m: int, seed: int, grid: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    F = torch.rand(n, m, generator=g, dtype=torch.float64)
    return (F * grid).round() if grid else F


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("m", [2, 3])
def test_rank_matches_pymoo(seed, m):
    F = _random(60, m, seed, grid=8 if seed % 2 else 0)  # with and without ties
    ours = non_dominated_rank(F).numpy()
    fronts = NonDominatedSorting().do(-F.numpy())  # pymoo minimises
    theirs = np.empty(len(F), dtype=int)
    for r, idx in enumerate(fronts):
        theirs[idx] = r
    np.testing.assert_array_equal(ours, theirs)


def test_crowding_matches_pymoo_on_each_front():
    F = _random(40, 2, 3)
    rank = non_dominated_rank(F)
    d = crowding_distance(F, rank)
    for r in torch.unique(rank).tolist():
        idx = (rank == r).nonzero().flatten()
        if idx.numel() <= 2:
            assert torch.isinf(d[idx]).all()
            continue
        theirs = calc_crowding_distance(-F[idx].numpy())
        ours = d[idx].numpy()
        fin = np.isfinite(theirs)
        np.testing.assert_array_equal(np.isinf(ours), ~fin)
        # pymoo averages the per-objective gaps (divides by M); we sum them (NSGA-II paper)
        np.testing.assert_allclose(ours[fin], theirs[fin] * F.shape[1], rtol=1e-9)


def test_dominance_and_non_finite_rows():
    F = torch.tensor([[1.0, 1.0], [0.0, 0.0], [1.0, 0.0], [float("nan"), 5.0], [-torch.inf, 9.0]])
    dom = dominance_matrix(F)
    assert dom[0, 1] and dom[0, 2] and dom[2, 1] and not dom[1, 0] and not dom[0, 0]
    assert dom[1, 3] and not dom[3, 1] and not dom[3, 4] and not dom[4, 3]
    assert non_dominated_rank(F).tolist() == [0, 2, 1, 3, 3]
    s = pareto_scores(F)
    assert torch.isinf(s[3:]).all() and (s[3:] < 0).all()
    assert s[0] > s[2] > s[1]


def test_scores_order_fronts_then_spread():
    # one front of 5 points on a line, one dominated point
    F = torch.tensor([[0.0, 4.0], [1.0, 3.0], [1.1, 2.9], [3.0, 1.0], [4.0, 0.0], [0.5, 0.5]])
    s = pareto_scores(F)
    assert (s[:5] > s[5]).all()
    assert s[0] == s[4] == s.max()  # the extremes
    assert s[3] > s[1] and s[3] > s[2]  # the isolated interior point beats the crowded pair
    h = pareto_scores(F, density="hypervolume")
    assert (h[:5] > h[5]).all() and h[3] > h[2]
    assert pareto_select(F, 3).tolist()[:2] == [0, 4]


def test_hypervolume_contribution_exact():
    F = torch.tensor([[0.0, 3.0], [1.0, 2.0], [2.0, 0.5], [3.0, 0.0]])
    c = hypervolume_contribution(F)
    span = torch.tensor([3.0, 3.0])
    P = F / span
    assert torch.isinf(c[0]) and torch.isinf(c[3])
    assert c[1].item() == pytest.approx(float((P[1, 0] - P[0, 0]) * (P[1, 1] - P[2, 1])))
    assert c[2].item() == pytest.approx(float((P[2, 0] - P[1, 0]) * (P[2, 1] - P[3, 1])))
    with pytest.raises(ValueError, match="2 objectives"):
        hypervolume_contribution(_random(5, 3, 0))


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("m", [2, 3])
def test_mask_matches_rank_zero(seed, m):
    F = _random(300, m, seed, grid=6 if seed else 0)
    F[7, 0] = float("nan")
    mask = pareto_mask(F.numpy(), chunk=64)
    expect = (non_dominated_rank(F) == 0) & torch.isfinite(F).all(dim=1)
    np.testing.assert_array_equal(mask, expect.numpy())


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"shape \(4, 2\)"):
        as_objectives(torch.zeros(4, 3), 4, 2)
    with pytest.raises(TypeError, match="numeric"):
        as_objectives([["a", "b"]], 1, 2)
    with pytest.raises(ValueError, match="density"):
        pareto_scores(_random(4, 2, 0), density="nope")
    with pytest.raises(ValueError, match="2-D"):
        pareto_scores(torch.zeros(4))
    with pytest.raises(ValueError, match="k must be"):
        pareto_select(_random(4, 2, 0), 5)


def _zdt1(x: torch.Tensor) -> torch.Tensor:
    """ZDT1 (both minimised); the front is g = 1, f2 = 1 - sqrt(f1)."""
    f1 = x[:, 0]
    g = 1.0 + 9.0 * x[:, 1:].mean(dim=1)
    return torch.stack([f1, g * (1.0 - (f1 / g).sqrt())], dim=1).to(torch.float64)


def _run_zdt1(seed: int, **kw) -> EvolutionaryDDIM:
    es = EvolutionaryDDIM(shape=(5,), popsize=40, num_steps=60, seed=seed, bounds=(0.0, 1.0),
                          objectives=2, **kw)  # fmt: skip
    while not es.done:
        es.tell(_zdt1(es.ask()))
    return es


def test_strategy_vector_fitness_converges_and_spreads(one_thread):
    es = _run_zdt1(0)
    F = es.fitness
    assert F.shape == (40, 2)
    x = es.population
    assert x[:, 1:].mean() < 0.05  # g close to 1: on the front
    assert F[:, 0].max() - F[:, 0].min() > 0.8  # spread along it
    assert es.best_fitness == pytest.approx(float(F[:, 0].min()), abs=1e-6)
    again = _run_zdt1(0)
    assert torch.equal(again.fitness, F) and torch.equal(again.population, x)


def test_strategy_vector_fitness_bad_input():
    es = EvolutionaryDDIM(shape=(3,), popsize=4, num_steps=3, objectives=2)
    es.ask()
    with pytest.raises(ValueError, match=r"objectives=2"):
        es.tell(torch.zeros(4))
    with pytest.raises(ValueError, match="objectives"):
        EvolutionaryDDIM(shape=(3,), popsize=4, num_steps=3, objectives=0)
    # a violation ranks infeasible members below every feasible one
    es.tell(torch.rand(4, 2), violation=torch.tensor([0.0, 0.0, 1.0, 2.0]))
    scores = es._scores(es.fitness, es.state.violation)
    assert scores[:2].min() > scores[2:].max()
