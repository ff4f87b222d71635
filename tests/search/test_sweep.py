"""The sweep phase of the cost-lookup mode (``search.sweep``, ``sweep=``)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from ednag_opt import search
from ednag_opt.fitness import as_fitness
from ednag_opt.search.pair_guide import make_guide
from ednag_opt.search.sweep import (
    AUTO_SWEEP,
    COST_FEATURE,
    SWEEP_MODELS,
    Sweep,
    cost_feature,
    expected_improvement,
)
from ednag_opt.search.twins import TwinIndex, best_at_or_below

from .test_cheap import _none_costs, resumed_at
from .test_twins import ACC, COST, SPACE, _acc, _cost, _cost_levels, refused_before_any_query


def test_best_at_or_below_is_the_found_front_as_a_staircase():
    cost = np.array([3.0, 1.0, 2.0, 5.0])
    gain = np.array([0.9, 0.2, 0.1, 0.5])
    at = np.array([0.5, 1.0, 2.5, 3.0, 9.0])
    np.testing.assert_array_equal(best_at_or_below(cost, gain, at),
                                  [-np.inf, 0.2, 0.2, 0.9, 0.9])  # fmt: skip


def test_expected_improvement_against_monte_carlo():
    mu = np.array([0.5, 0.5, 0.2, 0.9, 0.3])
    sd = np.array([0.1, 0.3, 0.2, 0.05, 0.0])
    bar = np.array([0.6, 0.6, -np.inf, 0.8, 0.1])
    ei = expected_improvement(mu, sd, bar)
    z = np.random.default_rng(0).standard_normal(400_000)
    for i in (0, 1, 3):
        mc = np.maximum(mu[i] + sd[i] * z - bar[i], 0).mean()
        assert ei[i] == pytest.approx(mc, rel=0.02)
    assert ei[2] == np.inf  # nothing queried at that cost or below: first in line
    assert ei[4] == pytest.approx(0.2)  # no spread: the margin itself
    assert ei[1] > ei[0]  # same mean below the bar: the wider one has more to gain


@pytest.mark.parametrize("model", SWEEP_MODELS)
def test_sweep_takes_unqueried_networks_likely_to_beat_the_front_at_their_cost(model):
    index = TwinIndex(SPACE, lambda a: a.key)
    costs = np.array(_none_costs(index.archs))
    costs[::97] = np.nan  # unmeasured cells: never swept
    sweep = Sweep(index, costs, make_guide(SPACE).features, model)
    best = index.cheapest_twins(costs)
    reps = np.unique(best)
    rng = np.random.default_rng(0)
    queried = [index.archs[i] for i in rng.choice(reps, 150, replace=False)]
    gain = np.array(_acc(queried))
    out, expected = sweep.batch([a.key for a in queried], gain, 40)
    assert len(out) == 40 and len({a.key for a in out}) == 40
    assert expected == np.inf if model == "ridge" else 0 < expected <= 40
    nets = {index.network[index.position[a.key]] for a in queried}
    pos = [index.position[a.key] for a in out]
    assert all(best[i] == i and index.network[i] not in nets for i in pos)  # cheapest twins
    assert np.isfinite(costs[pos]).all()
    qc = costs[[index.position[a.key] for a in queried]]

    def beats(archs):  # joins the found front at its exact cost
        p = [index.position[a.key] for a in archs]
        return np.array(_acc(archs)) > best_at_or_below(qc, gain, costs[p])

    rest = [index.archs[i] for i in reps if index.network[i] not in nets and np.isfinite(costs[i])]
    sample = [rest[i] for i in rng.choice(len(rest), 300, replace=False)]
    assert beats(out).mean() > 0.5 > 2 * beats(sample).mean()
    if model != "ridge":  # its chances are calibrated: about as many beat the front as expected
        assert abs(beats(out).sum() - expected) < 0.25 * 40
    assert sweep.batch([a.key for a in queried[:1]], gain[:1], 5) == ([], 0.0)  # nothing to fit


def test_search_sweeps_new_networks_between_the_diffusion_and_the_twins():
    kw = dict(max_queries=100, seed=3, cheap=[1], twins="auto")
    res = search("ednag", SPACE, [ACC, COST], **kw)
    origins = res.metadata["origins"]
    assert origins["sweep"] == 100 * AUTO_SWEEP == 20 and origins["twin"] == 50
    index = TwinIndex(SPACE, lambda a: a.key)
    best = index.cheapest_twins(np.array(_cost(index.archs)))
    pos = [index.position[a.key] for a, _ in res.queries]
    nets = [index.network[i] for i in pos]
    assert len(set(nets[:50])) == 50  # diffusion and sweep: one query per network ...
    assert all(best[i] == i for i in pos[:50])  # ... each as its cheapest twin
    assert set(nets[50:]) <= set(nets[:50])  # then twins of queried networks
    off = search("ednag", SPACE, [ACC, COST], sweep=0, **kw)
    assert "sweep" not in off.metadata["origins"] and off.metadata["origins"]["twin"] == 50
    assert [a.key for a, _ in off.queries[:30]] == [a.key for a, _ in res.queries[:30]]
    assert [a.key for a, _ in off.queries[30:50]] != [a.key for a, _ in res.queries[30:50]]
    explicit = search("ednag", SPACE, [ACC, COST], sweep=0.2, **{**kw, "twins": 0.5})
    assert [a.key for a, _ in explicit.queries] == [a.key for a, _ in res.queries]


def test_auto_sweep_takes_its_share_where_the_costs_come_in_levels_too():
    src = [ACC, as_fitness(_cost_levels, maximize=False, name="cost")]
    res = search("ednag", SPACE, src, max_queries=100, seed=3, cheap=[1], twins="auto")
    assert res.metadata["origins"]["twin"] == 20 and res.metadata["origins"]["sweep"] == 20


def test_sweep_never_queries_beyond_the_costs_limit():
    from ednag_opt.search.multiobjective import MultiFitness

    limit = float(np.quantile(_cost(SPACE.enumerate()), 0.3))
    multi = MultiFitness([ACC, COST], limits=[None, limit])
    res = search("ednag", SPACE, multi, max_queries=100, seed=2, cheap=[1], twins=0.5, sweep=0.3)
    assert res.metadata["origins"]["sweep"] == 30
    swept = [a for a, _ in res.queries[20:50]]  # diffusion 20, sweep 30, twins 50
    assert max(_cost(swept)) <= limit < max(_cost([a for a, _ in res.queries[:20]]))


@pytest.mark.parametrize(
    ("sweep", "kw", "error", "match"),
    [
        (True, {}, TypeError, "sweep must be a share"),
        ("most", {}, TypeError, "sweep must be a share"),
        (1.0, {}, ValueError, r"sweep must be in \[0, 1\)"),
        (0.2, {"twins": 0.5}, ValueError, "sweep > 0 needs cheap"),
        (0.2, {"cheap": [1]}, ValueError, "sweep > 0 needs cheap"),
        ("auto", {"cheap": [1]}, ValueError, "sweep > 0 needs cheap"),
        (0.6, {"cheap": [1], "twins": 0.5}, ValueError, "below 1"),
        (0.9, {"cheap": [1], "twins": "auto"}, ValueError, "below 1"),
        (0.2, {"cheap": [1], "twins": "auto", "sweep_model": "svm"}, ValueError,
         "sweep_model must be one of"),
        (None, {"cheap": [1], "twins": "auto", "sweep_model": None}, ValueError,
         "sweep_model must be one of"),
        (None, {"cheap": [1], "twins": "auto", "sweep_stop": -1}, ValueError,
         "sweep_stop must be a finite number >= 0"),
        (None, {"cheap": [1], "twins": "auto", "sweep_stop": "half"}, ValueError,
         "sweep_stop must be a finite number >= 0"),
    ],
)
def test_bad_sweeps_are_refused_before_any_query(sweep, kw, error, match):
    refused_before_any_query({"max_queries": 50, "sweep": sweep, **kw}, error, match)


@pytest.mark.parametrize("other", ["ridge", "gp-arch"])
def test_the_sweep_models_share_the_diffusion_and_differ_in_the_sweep(other):
    kw = dict(max_queries=100, seed=3, cheap=[1], twins="auto", sweep_stop=0)
    gp = search("ednag", SPACE, [ACC, COST], **kw)
    alt = search("ednag", SPACE, [ACC, COST], sweep_model=other, **kw)
    assert [a.key for a, _ in gp.queries[:30]] == [a.key for a, _ in alt.queries[:30]]
    assert [a.key for a, _ in gp.queries[30:50]] != [a.key for a, _ in alt.queries[30:50]]
    assert alt.metadata["origins"]["sweep"] == gp.metadata["origins"]["sweep"] == 20
    again = search("ednag", SPACE, [ACC, COST], sweep_model="gp", **kw)
    assert [a.key for a, _ in again.queries] == [a.key for a, _ in gp.queries]


def test_cost_feature_is_the_standardised_log_of_the_costs():
    costs = np.array([5.0, 1.0, 3.0, 3.0, 9.0])
    col = cost_feature(costs)
    assert col.shape == (5, 1)
    log = np.log(costs)
    np.testing.assert_allclose(col[:, 0], (log - log.mean()) / log.std())
    signed = cost_feature(np.array([-2.0, 0.0, 2.0]))[:, 0]  # not all positive: the costs
    np.testing.assert_allclose(signed, [-np.sqrt(1.5), 0.0, np.sqrt(1.5)])
    assert not cost_feature(np.full(4, 7.0)).any() and cost_feature(np.ones(1)).shape == (1, 1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no network with a cost: an empty column, no warning
        assert cost_feature(np.array([])).shape == (0, 1)


def test_only_the_gp_model_reads_the_cost_as_a_feature():
    index = TwinIndex(SPACE, lambda a: a.key)
    costs = np.array(_cost(index.archs))
    feats = make_guide(SPACE).features
    gp, arch = Sweep(index, costs, feats, "gp"), Sweep(index, costs, feats, "gp-arch")
    np.testing.assert_array_equal(gp.X[:, :-1], arch.X)
    np.testing.assert_allclose(gp.X[:, -1:], COST_FEATURE * cost_feature(costs[gp.reps]))
    assert Sweep(index, costs, feats, "ridge").X.shape == arch.X.shape


def test_the_sweep_ends_early_when_its_next_batch_is_expected_to_bring_little():
    kw = dict(max_queries=100, seed=3, cheap=[1], twins="auto")
    never = search("ednag", SPACE, [ACC, COST], sweep_stop=0, **kw).metadata["origins"]
    assert never["sweep"] == 20 and never["twin"] == 50
    soon = search("ednag", SPACE, [ACC, COST], sweep_stop=20, **kw).metadata["origins"]
    assert "sweep" not in soon and soon["twin"] == 70  # its share went to the twins
    ridge = search("ednag", SPACE, [ACC, COST], sweep_stop=20, sweep_model="ridge", **kw)
    assert ridge.metadata["origins"]["sweep"] == 20  # no spread, no stop


def test_sweep_phase_resumes_bit_identically(tmp_path):
    kw = dict(max_queries=200, seed=5, twins="auto", cheap=[1])
    assert search("ednag", SPACE, [ACC, COST], **kw).metadata["origins"]["sweep"] == 40
    assert resumed_at(tmp_path, kw, fail_after=90) == 80  # it died in the sweep (60-99)
