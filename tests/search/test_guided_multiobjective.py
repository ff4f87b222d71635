"""Model-guided proposals of the multi-objective EDNAG searcher (search.guided_mo)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ednag_opt import get_space, search
from ednag_opt.fitness import as_fitness
from ednag_opt.search.guided_mo import ParetoGuide, epsilon_value, hypervolume_gain
from ednag_opt.search.multiobjective import MultiFitness


def _acc(archs):
    return [str(a).count("nor_conv_3x3") + 0.6 * str(a).count("nor_conv_1x1")
            + 0.1 * str(a).count("avg_pool") for a in archs]  # fmt: skip


def _cost(archs):
    return [3.0 * str(a).count("nor_conv_3x3") + str(a).count("nor_conv_1x1")
            + 0.25 * str(a).count("avg_pool") + 0.05 * str(a).count("skip")
            for a in archs]  # fmt: skip


ACC = as_fitness(_acc, maximize=True, name="acc")
COST = as_fitness(_cost, maximize=False, name="cost")
ALL_CONV = ("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|"
            "+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|")  # most accurate, dearest
ALL_NONE = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"  # cheapest
ONE_CONV = ("|nor_conv_3x3~0|+|skip_connect~0|skip_connect~1|"
            "+|skip_connect~0|skip_connect~1|skip_connect~2|")  # (1, 3.25): dominated


def test_epsilon_value_by_hand():
    front = np.array([[1.0, 0.0], [0.0, 1.0]])
    P = np.array([[0.5, 0.5], [0.2, 0.2], [2.0, 0.0], [1.0, 0.0]])
    # (0.5, 0.5): beats (1,0) by 0.5 in m=1 and (0,1) by 0.5 in m=0 -> 0.5
    # (0.2, 0.2): 0.2; (2, 0): min(1, 2) = 1; a front member itself: 0
    np.testing.assert_allclose(epsilon_value(P, front), [0.5, 0.2, 1.0, 0.0])
    dominated = epsilon_value(np.array([[0.5, -0.5]]), np.array([[1.0, 0.0]]))
    assert dominated[0] == pytest.approx(-0.5)  # must gain 0.5 to leave (1, 0)'s shadow
    assert epsilon_value(P, np.empty((0, 2))).tolist() == [0.0] * 4
    with pytest.raises(ValueError, match="epsilon_value"):
        epsilon_value(P, np.zeros((2, 3)))


def test_hypervolume_gain_matches_pymoo():
    from pymoo.indicators.hv import HV

    from ednag_opt.strategy.pareto import pareto_mask

    rng = np.random.default_rng(1)
    front = rng.random((30, 2))
    front = front[pareto_mask(front)]
    P = rng.random((80, 2)) * 1.3 - 0.2
    gain = hypervolume_gain(P, front)
    hv = HV(ref_point=-(front.min(axis=0) - 0.1))  # pymoo minimises
    want = np.array([hv(-np.vstack([front, p])) - hv(-front) for p in P])
    adds = want > 1e-12
    assert 3 <= adds.sum() < len(P)
    np.testing.assert_allclose(gain[adds], want[adds], atol=1e-12)
    np.testing.assert_allclose(gain[~adds], np.minimum(epsilon_value(P[~adds], front), 0))
    with pytest.raises(ValueError, match="hypervolume_gain"):
        hypervolume_gain(np.zeros((2, 3)), front)


def test_pareto_guide_prefers_what_extends_the_front():
    space = get_space("nas-bench-201")
    multi = MultiFitness([ACC, COST])
    guide = ParetoGuide(space, multi)
    archs = space.sample(200, generator=torch.Generator().manual_seed(0))
    assert guide.predict(archs[:3]).tolist() == [0.0, 0.0, 0.0]  # unfitted: no preference
    guide.observe(archs)
    assert guide.fitted and len(guide.front) >= 2
    got = guide.predict([space.from_str(t) for t in (ALL_CONV, ALL_NONE, ONE_CONV)])
    assert got[0] > got[2] and got[1] > got[2]  # both extremes over a dominated middle


def test_pareto_guide_values_and_errors():
    space = get_space("nas-bench-201")
    multi = MultiFitness([ACC, COST])
    archs = space.sample(100, generator=torch.Generator().manual_seed(2))
    eps = ParetoGuide(space, multi).observe(archs)
    hv = ParetoGuide(space, multi, value="hypervolume").observe(archs)
    cand = space.sample(50, generator=torch.Generator().manual_seed(3))
    e, h = eps.predict(cand), hv.predict(cand)
    assert (e[h > 0] > 0).all() and (h[e <= 0] <= 0).all()  # gains only off the front's shadow
    assert (h > 0).any()
    with pytest.raises(ValueError, match="value must be"):
        ParetoGuide(space, multi, value="rank")
    with pytest.raises(ValueError, match="two objectives"):
        ParetoGuide(space, MultiFitness([ACC, COST, ACC]), value="hypervolume")


def test_limits_mark_predicted_violations():
    space = get_space("nas-bench-201")
    multi = MultiFitness([ACC, COST], limits=[None, 4.0])
    guide = ParetoGuide(space, multi).observe(
        space.sample(200, generator=torch.Generator().manual_seed(1)))
    assert guide.predict([space.from_str(ALL_CONV)])[0] < -5  # cost 18 > 4


def test_guided_search_same_seed_same_queries_and_labels():
    kw = dict(max_queries=120, seed=3, popsize=10, num_steps=8, guide=True)
    a = search("ednag", "nas-bench-201", [ACC, COST], **kw)
    b = search("ednag", "nas-bench-201", [ACC, COST], **kw)
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]
    assert a.unique_queries == 120
    assert set(a.metadata["origins"]) == {"diffusion", "repair"}
    off = search("ednag", "nas-bench-201", [ACC, COST], **{**kw, "diffusion": False})
    assert off.unique_queries == 120 and off.metadata["origins"]["diffusion"] <= 20  # 1st gens
    unguided = search("ednag", "nas-bench-201", [ACC, COST], **{**kw, "guide": False})
    named = search("ednag", "nas-bench-201", [ACC, COST], preset="unguided",
                   **{k: v for k, v in kw.items() if k != "guide"})  # fmt: skip
    assert [str(x) for x, _ in unguided.queries] == [str(x) for x, _ in named.queries]
    assert [str(x) for x, _ in unguided.queries] != [str(x) for x, _ in a.queries]


def test_guided_constraint_keeps_the_front_feasible():
    multi = MultiFitness([ACC, COST], limits=[None, 6.0])
    res = search("ednag", "nas-bench-201", multi, max_queries=200, seed=0, guide=True)
    front = res.pareto_front()
    assert front and all(c <= 6.0 for _, (_, c) in front)


def test_diffusion_off_needs_the_guide():
    with pytest.raises(ValueError, match="guide=True"):
        search("ednag", "nas-bench-201", [ACC, COST], max_queries=20, guide=False,
               diffusion=False)  # fmt: skip


def _cost_unmeasured(archs):
    """COST, but missing (NaN, as HW-NAS-Bench's unmeasured Edge TPU latencies) for every
    cell whose first edge is ``none``: and those are the cheapest by far."""
    return [float("nan") if str(a).startswith("|none~0|") else c
            for a, c in zip(archs, _cost(archs))]  # fmt: skip


def test_missing_objective_values_rank_last_and_stay_off_the_front():
    space = get_space("nas-bench-201")
    multi = MultiFitness([ACC, as_fitness(_cost_unmeasured, maximize=False, name="cost")])
    guide = ParetoGuide(space, multi).observe(
        space.sample(200, generator=torch.Generator().manual_seed(1)))
    assert np.isfinite(guide.front).all()
    none0 = ALL_NONE  # the cheapest cell, but its cost is missing
    skip0 = "|skip_connect~0|+|none~0|none~1|+|none~0|none~1|none~2|"  # measured, cost 0.05
    cost = guide.models[1].predict([space.from_str(none0), space.from_str(skip0)])
    assert cost[0] < 0.6 < 0.9 < cost[1]  # a missing cost ranks last (dropped, it was ~0.9)
    p = guide.predict([space.from_str(none0), space.from_str(skip0)])
    assert p[0] < -0.2 < 0 < p[1]
    res = search("ednag", "nas-bench-201", multi, max_queries=150, seed=0)
    front = res.pareto_front()
    assert front and all(np.isfinite(c) for _, (_, c) in front)
    missing = sum(str(a).startswith("|none~0|") for a, _ in res.queries)
    assert missing < 0.1 * 150  # 1 in 5 cells at random: the search steers away


def test_pair_features_learn_an_interaction_the_additive_model_cannot():
    from ednag_opt.search.guided import RidgeGuide
    from ednag_opt.search.pair_guide import PairRidgeGuide

    space = get_space("nas-bench-201")
    archs = space.sample(600, generator=torch.Generator().manual_seed(4))
    choice = space.encode(archs).argmax(dim=2).numpy()
    y = (choice[:, 0] == choice[:, 5]).astype(float)  # an interaction of two edges only
    pair = PairRidgeGuide(space, alpha=1.0).fit(archs[:400], y[:400])
    assert pair.features(archs[:3]).shape == (3, 6 * 5 + 15 * 25)
    add = RidgeGuide(space, alpha=1.0).fit(archs[:400], y[:400])
    test, truth = archs[400:], y[400:]
    gap = [p[truth == 1].mean() - p[truth == 0].mean()
           for p in (pair.predict(test), add.predict(test))]  # fmt: skip
    assert gap[0] > 0.2 > 0.1 > abs(gap[1])  # ranks: the 1s hold the top fifth
    with pytest.raises(ValueError, match="features must be"):
        ParetoGuide(space, MultiFitness([ACC, COST]), features="cubic")


def test_guide_features_auto_takes_pairs_on_small_spaces_only():
    from ednag_opt.search.pair_guide import guide_features

    auto = {n: guide_features(get_space(n)) for n in
            ("nas-bench-201", "transnas-micro", "transnas-macro", "mobilenetv3", "darts")}
    assert auto == {"nas-bench-201": "pairs", "transnas-micro": "pairs",
                    "transnas-macro": "pairs", "mobilenetv3": "onehot", "darts": "onehot"}
    assert guide_features(get_space("mobilenetv3"), "pairs") == "pairs"
    kw = dict(max_queries=60, seed=1, popsize=10, num_steps=5)
    a = search("ednag", "nas-bench-201", [ACC, COST], **kw)
    b = search("ednag", "nas-bench-201", [ACC, COST], guide_features="pairs", **kw)
    c = search("ednag", "nas-bench-201", [ACC, COST], guide_features="onehot", **kw)
    keys = [[str(x) for x, _ in r.queries] for r in (a, b, c)]
    assert keys[0] == keys[1] != keys[2]
    with pytest.raises(ValueError, match="features must be"):
        search("ednag", "nas-bench-201", [ACC, COST], guide=False, guide_features="quad", **kw)
