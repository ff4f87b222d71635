"""The twin phase of the multi-objective searcher (``search.twins``, ``twins=``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ednag_opt import get_space, search
from ednag_opt.fitness import CachedFitness, as_fitness
from ednag_opt.search.tracker import Tracker
from ednag_opt.search.twins import TwinIndex, check_twins, cost_levels, twin_batch

from .test_resume_multiobjective import Boom, _objectives

SPACE = get_space("nas-bench-201")


def _acc(archs):
    """Accuracy of the network (pruned cell) plus a per-cell 'training noise'."""
    out = []
    for a in archs:
        net = SPACE.prune(a).ops
        base = sum(op in (2, 3) for op in net) + 0.3 * sum(op == 1 for op in net)
        out.append(base + 0.05 * ((hash(a.ops) % 997) / 997.0))
    return out


def _cost_levels(archs):
    """Cost of the cell as written, in a few exact levels (FPGA-like): signal-free
    convolutions cost too."""
    return [float(sum(op in (2, 3) for op in a.ops)) + 0.1 * sum(a.ops) for a in archs]


def _cost(archs):
    """A measured latency: the level cost plus a per-cell measurement error (no repeats)."""
    levels = _cost_levels(archs)
    return [c + 0.02 * ((hash((a.ops, 1)) % 991) / 991.0) for c, a in zip(levels, archs)]


ACC = as_fitness(_acc, maximize=True, name="acc")
COST = as_fitness(_cost, maximize=False, name="cost")


def test_holding_back_stops_early_then_releases():
    t = Tracker(SPACE, CachedFitness(ACC), maximize=True, max_queries=30)
    archs = SPACE.enumerate()
    with t.holding_back(10):
        assert t.remaining == 20
        v = t.query(archs[:25])
        assert t.stop_reason == "budget" and t.unique_queries == 20
        assert np.isnan(v[20:].numpy()).all()
    assert t.remaining == 10 and t.stop_reason is None and not t.done
    t.query(archs[20:40])
    assert t.unique_queries == 30 and t.stop_reason == "budget"
    with pytest.raises(ValueError, match="budget"):
        with Tracker(SPACE, CachedFitness(ACC), maximize=True).holding_back(5):
            pass


def _batch(cost, seed: int, n: int, k: int):
    """``k`` twins after ``n`` random queries of (accuracy, ``cost``); new cells only."""
    index = TwinIndex(SPACE, lambda a: a.key)
    picked = np.random.default_rng(seed).choice(len(index.archs), size=n, replace=False)
    archs = [index.archs[i] for i in picked]
    V = np.column_stack([_acc(archs), cost(archs)])
    keys = [a.key for a in archs]
    out = twin_batch(index, keys, V, (True, False), k)
    assert len(out) == k and not {a.key for a in out} & set(keys)
    return index, archs, V, keys, out


def test_twin_batch_takes_cheap_twins_of_front_networks_only():
    index, archs, V, keys, out = _batch(_cost, 0, 150, 12)
    from ednag_opt.strategy.pareto import pareto_mask

    on_front = pareto_mask(V * [1, -1])
    front_nets = {SPACE.prune(a).key for a, ok in zip(archs, on_front) if ok}
    assert {SPACE.prune(a).key for a in out} <= front_nets
    # cheapest first, relative to the costliest front member of the twin's network
    ref = {}
    for a, c, ok in zip(archs, V[:, 1], on_front):
        if ok:
            n = SPACE.prune(a).key
            ref[n] = max(ref.get(n, -np.inf), c)
    seen = set(keys)
    cand = [a for a in index.archs if SPACE.prune(a).key in ref and a.key not in seen]
    gap = {a.key: _cost([a])[0] - ref[SPACE.prune(a).key] for a in cand}
    assert max(gap[a.key] for a in out) <= np.median(list(gap.values()))
    assert twin_batch(index, keys, V, (True, False), 0) == []
    V[:, 0] = np.nan  # nothing finite: no front, nothing to take
    assert twin_batch(index, keys, V, (True, False), 5) == []


def test_cost_levels_tells_exact_levels_from_measurements():
    assert cost_levels(np.array([1.0, 2.0, 1.0, 2.0, 1.0, 1.0]))
    assert not cost_levels(np.array([1.0, 2.0, 1.0, 2.0, 1.0, 3.0]))  # half: not more
    assert not cost_levels(np.array([1.0, 1.5, 2.0, 2.5]))
    assert not cost_levels(np.array([]))
    archs = SPACE.enumerate()[::50]
    assert cost_levels(np.array(_cost_levels(archs))) and not cost_levels(np.array(_cost(archs)))


def test_staircase_ranks_twins_by_their_chance_of_joining_the_front():
    index, archs, V, keys, out = _batch(_cost_levels, 1, 300, 40)
    rng = np.random.default_rng(1)
    nets = [SPACE.prune(a).key for a in archs]
    assert {SPACE.prune(a).key for a in out} <= set(nets)  # twins of queried networks
    # a Monte Carlo check of the ordering with the true costs: the picks are likelier than
    # other candidates to beat the found staircase (accuracy around its network's mean)
    from ednag_opt.strategy.pareto import pareto_mask

    front = pareto_mask(V * [1, -1])
    order = np.argsort(V[front, 1])
    level, best = V[front, 1][order], np.maximum.accumulate(V[front, 0][order])
    by_net: dict[str, list[float]] = {}
    for n, acc in zip(nets, V[:, 0]):
        by_net.setdefault(n, []).append(acc)
    dev = [a - np.mean(v) for v in by_net.values() for a in v]
    spread = np.sqrt(np.sum(np.square(dev)) / sum(len(v) - 1 for v in by_net.values()))

    def chance(a):
        j = np.searchsorted(level, _cost_levels([a])[0], side="right") - 1
        need = best[j] if j >= 0 else -np.inf  # cheaper than every found point: on the front
        draws = np.mean(by_net[SPACE.prune(a).key]) + spread * rng.standard_normal(20000)
        return float(np.mean(draws > need))

    seen = set(keys)
    others = [a for a in index.archs if a.key not in seen and SPACE.prune(a).key in by_net]
    sample = [others[i] for i in rng.choice(len(others), size=60, replace=False)]
    picks, rest = np.array([chance(a) for a in out]), [chance(a) for a in sample]
    assert np.median(rest) < 0.1  # most twins cannot join the front ...
    assert np.mean(picks >= 0.5) >= 0.9  # ... the staircase takes those that can
    assert np.median(picks) >= np.quantile(rest, 0.9) - 0.02


def test_search_spends_the_held_back_share_on_twins():
    kw = dict(max_queries=200, seed=3)
    plain = search("ednag", SPACE, [ACC, COST], **kw)
    res = search("ednag", SPACE, [ACC, COST], twins=0.1, **kw)
    assert res.unique_queries == 200 and res.metadata["origins"]["twin"] == 20
    # the first 180 queries are the plain search's (same run, cut earlier)
    assert [a.key for a, _ in res.queries[:180]] == [a.key for a, _ in plain.queries[:180]]
    early = {SPACE.prune(a).key for a, _ in res.queries[:180]}
    assert {SPACE.prune(a).key for a, _ in res.queries[180:]} <= early
    again = search("ednag", SPACE, [ACC, COST], twins=0.1, **kw)
    assert [(a.key, v) for a, v in again.queries] == [(a.key, v) for a, v in res.queries]
    off = search("ednag", SPACE, [ACC, COST], twins=0, **kw)
    assert [(a.key, v) for a, v in off.queries] == [(a.key, v) for a, v in plain.queries]


def test_twin_phase_resumes_bit_identically(tmp_path):
    kw = dict(max_queries=60, seed=5, twins=0.25)
    full = search("ednag", "nas-bench-201", _objectives([]), **kw)
    assert full.metadata["origins"]["twin"] == 15
    ck = tmp_path / "ck.json"
    log: list[str] = []
    with pytest.raises(Boom):
        search("ednag", "nas-bench-201", _objectives(log, fail_after=100), checkpoint=ck, **kw)
    assert len(json.loads(ck.read_text())["queries"]) > 45  # it died in the twin phase
    resumed = search("ednag", "nas-bench-201", _objectives(log), checkpoint=ck, **kw)
    assert [(str(a), v) for a, v in resumed.queries] == [(str(a), v) for a, v in full.queries]


@pytest.mark.parametrize(
    ("value", "kw", "error", "match"),
    [
        (True, {}, TypeError, "share"),
        ("0.1", {}, TypeError, "share"),
        (-0.1, {}, ValueError, r"\[0, 1\)"),
        (1.0, {}, ValueError, r"\[0, 1\)"),
        (0.1, {"max_queries": None}, ValueError, "max_queries"),
        (0.1, {"distinct": "networks"}, ValueError, "networks"),
        ("auto", {}, ValueError, "twins='auto' picks the share"),
        ("half", {"cheap": [1]}, TypeError, "or 'auto'"),
        ("AUTO", {"cheap": [1]}, TypeError, "or 'auto'"),
    ],
)
def test_bad_twins_are_refused_before_any_query(value, kw, error, match):
    refused_before_any_query({"max_queries": 50, "twins": value, **kw}, error, match)


def refused_before_any_query(kw, error, match):
    """``search`` with these options raises ``error`` before the accuracy is queried."""
    calls: list[int] = []

    def acc(archs):
        calls.append(len(archs))
        return _acc(archs)

    src = [as_fitness(acc, maximize=True, name="acc"), COST]
    with pytest.raises(error, match=match):
        search("ednag", SPACE, src, **kw)
    assert not calls


def test_twins_needs_a_cost_and_a_small_space_with_networks():
    both_max = [ACC, as_fitness(lambda a: [-c for c in _cost(a)], maximize=True, name="neg")]
    with pytest.raises(ValueError, match="minimised"):
        search("ednag", SPACE, both_max, max_queries=50, twins=0.1)
    with pytest.raises(ValueError, match="enumerat"):
        check_twins(0.1, get_space("darts"), 100, False, (True, False))
    assert check_twins(0, get_space("darts"), None, True, (True, True)) == 0.0
