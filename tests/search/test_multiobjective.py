"""Multi-objective search: search() with a list of sources, pareto_front(), limits."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch
from pymoo.indicators.hv import HV

from ednag_opt import SearchResult, get_space, search
from ednag_opt.fitness import CachedFitness, as_fitness
from ednag_opt.search.multiobjective import MultiFitness, objectives_from_names
from ednag_opt.strategy.pareto import pareto_mask


def _acc(archs):
    """Synthetic 'accuracy' (maximised): 3x3 convolutions count most, then 1x1, then pools."""
    return [
        str(a).count("nor_conv_3x3") + 0.6 * str(a).count("nor_conv_1x1")
        + 0.1 * str(a).count("avg_pool") for a in archs
    ]  # fmt: skip


def _cost(archs):
    """Synthetic 'latency' (minimised)."""
    return [
        3.0 * str(a).count("nor_conv_3x3") + str(a).count("nor_conv_1x1")
        + 0.25 * str(a).count("avg_pool") + 0.05 * str(a).count("skip") for a in archs
    ]  # fmt: skip


ACC = as_fitness(_acc, maximize=True, name="acc")
COST = as_fitness(_cost, maximize=False, name="cost")


@pytest.fixture(scope="module")
def true_front():
    archs = get_space("nas-bench-201").enumerate()
    F = np.column_stack([_acc(archs), _cost(archs)])
    return F[pareto_mask(F * [1.0, -1.0])]


def _hv(front, ref=(0.0, 20.0)):
    pts = np.array([[-a, c] for _, (a, c) in front]) if front else np.empty((0, 2))
    return HV(ref_point=np.array([-ref[0], ref[1]]))(pts) if len(pts) else 0.0


def test_list_fitness_runs_ednag_mo_and_front_is_non_dominated():
    res = search("ednag", "nas-bench-201", [ACC, COST], max_queries=150, seed=0)
    assert res.metadata["searcher"] == "ednag-mo"
    assert res.unique_queries == 150 == len(res.objectives)
    assert [o["name"] for o in res.metadata["objectives"]] == ["acc", "cost"]
    front = res.pareto_front()
    V = np.array(res.objectives)
    for arch, (a, c) in front:
        assert _acc([arch])[0] == a and _cost([arch])[0] == c
        dominated = (V[:, 0] >= a) & (V[:, 1] <= c) & ((V[:, 0] > a) | (V[:, 1] < c))
        assert not dominated.any()
    assert [v[0] for _, v in front] == sorted((v[0] for _, v in front), reverse=True)
    assert res.best_fitness == max(V[:, 0])  # the scalar view: the first objective
    # a unique query is one architecture, whatever the number of objectives
    assert all(c.unique_queries == 150 for c in res.cache.source.caches)


def test_same_seed_same_queries():
    a = search("ednag", "nas-bench-201", [ACC, COST], max_queries=80, seed=4)
    b = search("ednag", "nas-bench-201", [ACC, COST], max_queries=80, seed=4)
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]
    assert a.objectives == b.objectives


def test_front_hypervolume_beats_random_search(true_front):
    best = _hv([(None, tuple(p)) for p in true_front])
    ours, rnd = [], []
    for seed in range(3):
        ours.append(_hv(search("ednag", "nas-bench-201", [ACC, COST], max_queries=200,
                               seed=seed).pareto_front()))  # fmt: skip
        rnd.append(_hv(search("random", "nas-bench-201", [ACC, COST], max_queries=200,
                              seed=seed).pareto_front()))  # fmt: skip
    assert np.mean(ours) > np.mean(rnd)
    assert np.mean(ours) >= 0.97 * best  # 0.995 measured (seeds 0-2); 0.937 with guide=False


def test_pareto_front_budget_and_save_load(tmp_path):
    res = search("ednag", "nas-bench-201", [ACC, COST], max_queries=100, seed=1)
    early = res.pareto_front(budget=20)
    assert all(any(str(a) == str(q) for q, _ in res.queries[:20]) for a, _ in early)
    path = res.save(tmp_path / "mo.json")
    doc = json.loads(path.read_text())
    assert len(doc["pareto_front"]) == len(res.pareto_front())
    assert set(doc["pareto_front"][0]["values"]) == {"acc", "cost"}
    back = SearchResult.load(path)
    assert [(str(a), v) for a, v in back.pareto_front()] == [
        (str(a), v) for a, v in res.pareto_front()
    ]


def test_limits_make_a_constraint():
    multi = MultiFitness([ACC, COST], limits={"cost": 7.0})
    res = search("ednag", "nas-bench-201", multi, max_queries=300, seed=0)
    assert res.metadata["objectives"][1]["limit"] == 7.0
    front = res.pareto_front()
    assert front and all(c <= 7.0 for _, (_, c) in front)
    assert _cost([res.best_arch])[0] <= 7.0  # the best is the best feasible one
    for (_, v), (_, c) in zip(res.queries, res.objectives):
        assert math.isnan(v) == (c > 7.0)
    feasible = [a for (_, v), (a, c) in zip(res.queries, res.objectives) if c <= 7.0]
    assert res.best_fitness == max(feasible) >= 3.4  # the optimum is 3.6 (six 1x1 convs)


def test_other_searchers_take_a_list_too():
    res = search("rea", "nas-bench-201", [ACC, COST], max_queries=60, seed=0)
    assert res.metadata["searcher"] == "rea" and len(res.pareto_front()) >= 1


def test_errors_are_named():
    with pytest.raises(ValueError, match=">= 2 fitness sources"):
        search("ednag", "nas-bench-201", [ACC], max_queries=10)
    with pytest.raises(ValueError, match="unknown objective"):
        MultiFitness([ACC, COST], limits={"latency": 3.0})
    with pytest.raises(ValueError, match="entries"):
        MultiFitness([ACC, COST], limits=[1.0])
    with pytest.raises(ValueError, match="finite"):
        MultiFitness([ACC, COST], limits=[None, math.inf])
    with pytest.raises(ValueError, match="directions"):
        MultiFitness([_acc, _cost], maximize=[True])
    res = search("ednag", "nas-bench-201", ACC, max_queries=10)
    with pytest.raises(ValueError, match="multi-objective"):
        res.pareto_front()
    with pytest.raises(ValueError, match="no named objectives"):
        objectives_from_names("darts", "cifar10", ["val", "params"])
    with pytest.raises(ValueError, match="two objectives"):
        objectives_from_names("nas-bench-201", "cifar10", ["val"])


def test_plain_functions_take_directions_and_cached_sources_are_kept():
    cached = CachedFitness(ACC)
    multi = MultiFitness([cached, _cost], maximize=[True, False])
    assert multi.caches[0] is cached and multi.directions == (True, False)
    v = multi.values(["|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|none~2|"])
    assert v.tolist() == [[1.0, 3.0]]
    assert multi.scores(v).tolist() == [[1.0, -3.0]]


def test_nb201_hardware_objectives(data_file):
    data_file("nasbench201/hw_cifar10.csv")
    fits = objectives_from_names("nas-bench-201", "cifar10", ["val", "edgegpu_latency"])
    assert [f.maximize for f in fits] == [True, False]
    res = search("ednag", "nas-bench-201", fits, max_queries=100, seed=0)
    front = res.pareto_front()
    assert len(front) >= 5
    lat = fits[1]([a for a, _ in front])
    assert torch.allclose(lat, torch.tensor([v[1] for _, v in front], dtype=torch.float64))


def test_pymoo_adapter_two_and_three_objectives():
    from pymoo.optimize import minimize
    from pymoo.problems import get_problem
    from pymoo.util.nds.non_dominated_sorting import NonDominatedSorting

    from ednag_opt.integrations.pymoo import EDNAG

    zdt = get_problem("zdt1", n_var=5)
    res = minimize(zdt, EDNAG(pop_size=40, schedule="linear"), ("n_gen", 60), seed=1)
    assert res.F.shape[1] == 2 and len(res.X) == len(res.F) >= 20
    front = NonDominatedSorting().do(res.F, only_non_dominated_front=True)
    assert len(front) == len(res.F)  # pymoo's convention: res.F is the front
    hv = HV(ref_point=np.array([1.1, 1.1]))
    assert hv(res.F) >= 0.8 * hv(zdt.pareto_front())  # 0.87 measured
    again = minimize(zdt, EDNAG(pop_size=40, schedule="linear"), ("n_gen", 60), seed=1)
    np.testing.assert_array_equal(again.F, res.F)
    dtlz = minimize(get_problem("dtlz2", n_var=8, n_obj=3), EDNAG(pop_size=20), ("n_gen", 5),
                    seed=0)  # fmt: skip
    assert dtlz.F.shape[1] == 3


def test_plot_front_writes_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    from ednag_opt.search.multiobjective import plot_front

    res = search("ednag", "nas-bench-201", [ACC, COST], max_queries=40, seed=0)
    out = plot_front(res, tmp_path / "front.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(ValueError, match="two objectives"):
        plot_front(search("ednag", "nas-bench-201", ACC, max_queries=10), tmp_path / "x.png")


def test_recombination_takes_rows_from_the_diffusion_sample():
    from ednag_opt.search.ednag_mo import _cross

    space = get_space("nas-bench-201")
    parent = space.encode(space.sample(1, generator=torch.Generator().manual_seed(0)))
    rows = parent[0].argmax(dim=1)
    other = torch.zeros_like(parent)  # a sample that differs from the parent in every row
    other[0, torch.arange(other.shape[1]), (rows + 1) % other.shape[2]] = 1.0
    x, archs = _cross(space, parent.repeat(4, 1, 1), other.repeat(4, 1, 1), [1, 3],
                      torch.Generator().manual_seed(1))  # fmt: skip
    got = x.argmax(dim=2)
    assert torch.equal(got[0], rows) and torch.equal(got[2], rows)  # not in `at`: untouched
    for i in (1, 3):
        from_sample = got[i] != rows
        assert torch.equal(got[i][from_sample], ((rows + 1) % other.shape[2])[from_sample])
        assert 0 < int(from_sample.sum()) < len(rows)  # a mix of both
    assert [str(a) for a in archs] == [str(a) for a in space.decode(x)]


def test_recombine_option():
    kw = dict(max_queries=120, seed=4, popsize=10, num_steps=8)
    on = search("ednag", "nas-bench-201", [ACC, COST], recombine=True, **kw)
    off = search("ednag", "nas-bench-201", [ACC, COST], recombine=False, **kw)
    assert [str(a) for a, _ in on.queries[:10]] == [str(a) for a, _ in off.queries[:10]]
    assert [str(a) for a, _ in on.queries] != [str(a) for a, _ in off.queries]
    assert on.unique_queries == off.unique_queries == 120
    with pytest.raises(TypeError, match="recombine"):
        search("ednag", "nas-bench-201", [ACC, COST], max_queries=10, recombine="yes")
    with pytest.raises(TypeError, match="data"):  # a single-objective option, not ignored
        search("ednag", "nas-bench-201", [ACC, COST], max_queries=10, data="archive")
    for opt in ({"renoise": 16}, {"estimate": "decoded"}):  # the guided default's, not MO's
        with pytest.raises(TypeError, match=next(iter(opt))):
            search("ednag", "nas-bench-201", [ACC, COST], max_queries=10, **opt)
