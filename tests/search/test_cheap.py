"""Objectives known without a query (``cheap=``): the lookup guide, networks first, and
the twin phase ordered by exact costs (``search.guided_mo``, ``search.twins``)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from ednag_opt import search
from ednag_opt.fitness import CachedFitness, as_fitness
from ednag_opt.search.guided_mo import LookupGuide, resolve_cheap
from ednag_opt.search.tracker import Tracker
from ednag_opt.search.twins import AUTO_SHARES, TwinIndex, auto_share, twin_batch

from .test_resume_multiobjective import Boom
from .test_twins import ACC, COST, SPACE, _acc, _cost, _cost_levels

NAMES = ("acc", "cost")


def test_lookup_guide_ranks_exact_values_on_the_queried_scale():
    calls: list[int] = []

    def cost(archs):
        calls.append(len(archs))
        return [{"a": 1.0, "b": 2.0, "c": 3.0, "d": float("nan")}[x] for x in archs]

    g = LookupGuide(cost, maximize=False, min_samples=3)
    assert list(g.predict(["a", "b"])) == [0.0, 0.0] and not calls  # unfitted: no lookups
    g.observe([], [-1.0, -3.0])  # queried scores: higher is better (minus the cost)
    assert g.model is None  # two values: below min_samples
    g.observe([], [-2.0, -np.finfo(np.float64).max])  # the guide's stand-in for NaN: dropped
    assert g.model is not None
    # costs 1, 2, 3 sit at the top, middle and bottom of the queried -3, -2, -1
    np.testing.assert_allclose(g.predict(["a", "b", "c", "d"]), [1.0, 0.5, 0.0, 0.0])
    assert calls == [4]


@pytest.mark.parametrize(
    ("cheap", "twins", "names", "dirs", "error", "match"),
    [
        ("cost", False, NAMES, (True, False), TypeError, "list"),
        (["latency"], False, NAMES, (True, False), ValueError, "unknown objective 'latency'"),
        ([2], False, NAMES, (True, False), ValueError, "unknown objective 2"),
        ([True], False, NAMES, (True, False), ValueError, "unknown"),
        ([1, "cost"], False, NAMES, (True, False), ValueError, "twice"),
        ([0, 1], False, NAMES, (True, False), ValueError, "every objective"),
        ([0], True, NAMES, (True, False), ValueError, "cheap minimised cost"),
        ([1], True, NAMES, (False, False), ValueError, "maximised one"),
        ([1], True, ("a", "b", "c"), (True, False, False), ValueError, "two objectives"),
    ],
)
def test_bad_cheap_is_refused(cheap, twins, names, dirs, error, match):
    with pytest.raises(error, match=match):
        resolve_cheap(cheap, names, dirs, twins)


def test_cheap_names_and_indices_resolve():
    assert resolve_cheap(["cost"], NAMES, (True, False)) == (1,)
    assert resolve_cheap([1], NAMES, (True, False), twins=True) == (1,)
    assert resolve_cheap((), NAMES, (True, False), twins=True) == ()
    assert resolve_cheap(["acc"], NAMES, (True, True)) == (0,)  # without twins: any


def test_bad_cheap_is_refused_by_search_before_any_query():
    calls: list[int] = []

    def acc(archs):
        calls.append(len(archs))
        return _acc(archs)

    src = [as_fitness(acc, maximize=True, name="acc"), COST]
    for bad in (["latency"], [0], "cost"):
        with pytest.raises((TypeError, ValueError), match="cheap"):
            search("ednag", SPACE, src, max_queries=50, cheap=bad, twins=0.5)
    assert not calls


def test_networks_only_counts_a_network_once_inside_the_block():
    t = Tracker(SPACE, CachedFitness(ACC), maximize=True, max_queries=100)
    archs = SPACE.enumerate()
    a = next(x for x in archs if SPACE.prune(x).key != x.key)  # a cell with a dead edge
    twin = next(x for x in archs if x.key != a.key and SPACE.prune(x).key == SPACE.prune(a).key)
    with t.networks_only(SPACE.canonicalize):
        t.query([a])
        assert t.seen(twin) and t.queries[0][0].key == SPACE.prune(a).key
        with pytest.raises(ValueError, match="already"):
            with t.networks_only(SPACE.canonicalize):
                pass
    assert t.canonical is None and not t.seen(twin) and t.seen(SPACE.prune(a))
    t.query([twin])
    assert t.unique_queries == 2


def test_exact_staircase_takes_twins_likely_to_beat_the_front_at_their_cost():
    index = TwinIndex(SPACE, lambda a: a.key)
    picked = np.random.default_rng(2).choice(len(index.archs), size=200, replace=False)
    archs = [index.archs[i] for i in picked]
    V = np.column_stack([_acc(archs), _cost(archs)])
    keys = [a.key for a in archs]
    exact = np.array(_cost(index.archs))
    exact[::7] = np.nan  # cells without a measured cost are never taken
    out = twin_batch(index, keys, V, (True, False), 30, exact)
    assert len(out) == 30 and not {a.key for a in out} & set(keys)
    nets = {SPACE.prune(a).key for a in archs}
    assert {SPACE.prune(a).key for a in out} <= nets
    assert all(np.isfinite(exact[index.position[a.key]]) for a in out)
    # the picks beat the best queried accuracy at their exact cost more often than not
    order = np.argsort(V[:, 1])
    best = np.maximum.accumulate(V[order, 0])

    def bar(a):
        j = np.searchsorted(V[order, 1], exact[index.position[a.key]], side="right") - 1
        return best[j] if j >= 0 else -np.inf

    beats = [_acc([a])[0] > bar(a) for a in out]
    seen = set(keys)
    rest = [a for a in index.archs if a.key not in seen and SPACE.prune(a).key in nets
            and np.isfinite(exact[index.position[a.key]])]  # fmt: skip
    sample = [rest[i] for i in np.random.default_rng(0).choice(len(rest), 200, replace=False)]
    assert np.mean(beats) > 0.5 > np.mean([_acc([a])[0] > bar(a) for a in sample])


def test_cheap_twins_search_queries_networks_first_then_twins():
    calls = {"acc": 0, "cost": 0}

    def acc(archs):
        calls["acc"] += len(archs)
        return _acc(archs)

    def cost(archs):
        calls["cost"] += len(archs)
        return _cost(archs)

    src = [as_fitness(acc, maximize=True, name="acc"), as_fitness(cost, maximize=False, name="c")]
    res = search("ednag", SPACE, src, max_queries=120, seed=4, cheap=["c"], twins=0.5)
    assert res.unique_queries == 120 and res.metadata["origins"]["twin"] == 60
    first = [SPACE.prune(a).key for a, _ in res.queries[:60]]
    assert len(set(first)) == 60  # one query per network before the twin phase
    # as its cheapest twin: with this cost (signal-free convolutions run), the pruned form
    assert all(a.key == SPACE.prune(a).key for a, _ in res.queries[:60])
    assert {SPACE.prune(a).key for a, _ in res.queries[60:]} <= set(first)
    assert calls["acc"] == 120  # accuracy only for queries ...
    assert calls["cost"] > 15_000  # ... the cost for every candidate and every cell
    again = search("ednag", SPACE, [ACC, COST], max_queries=120, seed=4, cheap=[1], twins=0.5)
    assert [(a.key, v) for a, v in again.queries] == [(a.key, v) for a, v in res.queries]
    assert len(res.pareto_front()) >= 2


def _none_costs(archs):
    """A cost under which ``none`` costs more than a skip: the pruned form of a network
    with signal-free edges is its costliest twin, not its cheapest."""
    return [sum(op in (2, 3) for op in a.ops) + 0.1 * a.ops.count(0)
            + 0.02 * ((hash((a.ops, 2)) % 991) / 991.0) for a in archs]  # fmt: skip


def test_cheapest_twins_breaks_ties_to_the_canonical_form_and_skips_nan():
    index = TwinIndex(SPACE, lambda a: a.key)
    costs = np.array(_none_costs(index.archs))
    best = index.cheapest_twins(costs)
    for net in np.unique(index.network)[:300]:
        members = np.flatnonzero(index.network == net)
        assert (best[members] == members[np.argmin(costs[members])]).all()
    flat = np.full(len(index.archs), 5.0)  # ties among finite costs: canonical
    flat[:40] = np.nan  # no cost at all for some cells: never picked while a twin has one
    best = index.cheapest_twins(flat)
    canon = {index.network[i]: i for i in np.flatnonzero(index.is_canonical)}
    for i in range(len(index.archs)):
        b = best[i]
        assert index.network[b] == index.network[i]
        members = np.flatnonzero(index.network == index.network[i])
        if np.isfinite(flat[canon[index.network[i]]]) or not np.isfinite(flat[members]).any():
            assert b == canon[index.network[i]]
        else:
            assert np.isfinite(flat[b])


def test_cheap_twins_query_each_network_as_its_cheapest_twin():
    cost = as_fitness(_none_costs, maximize=False, name="cost")
    res = search("ednag", SPACE, [ACC, cost], max_queries=120, seed=4, cheap=[1], twins=0.5)
    index = TwinIndex(SPACE, lambda a: a.key)
    c = np.array(_none_costs(index.archs))
    first = [index.position[a.key] for a, _ in res.queries[:60]]
    assert len({index.network[i] for i in first}) == 60  # still one query per network
    for i in first:
        assert c[i] == c[index.network == index.network[i]].min()
    assert sum(not index.is_canonical[i] for i in first) >= 5  # not the pruned forms
    assert res.metadata["origins"]["twin"] == 60


def test_cheap_without_twins_guides_by_exact_values():
    kw = dict(max_queries=150, seed=6)
    plain = search("ednag", SPACE, [ACC, COST], **kw)
    res = search("ednag", SPACE, [ACC, COST], cheap=[1], **kw)
    assert res.unique_queries == 150 and "twin" not in res.metadata["origins"]
    # the first generation (popsize 20) is unguided, so the same
    assert [a.key for a, _ in res.queries[:20]] == [a.key for a, _ in plain.queries[:20]]
    assert [a.key for a, _ in res.queries] != [a.key for a, _ in plain.queries]
    assert res.metadata["options"]["cheap"] == "[1]"


def test_cheap_twin_phase_resumes_bit_identically(tmp_path):
    kw = dict(max_queries=60, seed=5, twins=0.5, cheap=[1], sweep=0)
    assert resumed_at(tmp_path, kw, fail_after=45) > 30  # it died in the twin phase


def resumed_at(tmp_path, kw, fail_after):
    """Run a search whole, then again dying after ``fail_after`` accuracy values and
    resumed from its checkpoint: the same queries. Returns the queries checkpointed."""
    log: list[int] = []

    def objectives(fail=None):
        def acc(archs):
            if fail is not None and len(log) + len(archs) > fail:
                raise Boom("the machine died")
            log.extend(range(len(archs)))
            return _acc(archs)

        return [as_fitness(acc, maximize=True, name="acc"), COST]

    full = search("ednag", SPACE, objectives(), **kw)
    log.clear()
    ck = tmp_path / "ck.json"
    with pytest.raises(Boom):
        search("ednag", SPACE, objectives(fail_after), checkpoint=ck, **kw)
    saved = len(json.loads(ck.read_text())["queries"])
    resumed = search("ednag", SPACE, objectives(), checkpoint=ck, **kw)
    assert [(str(a), v) for a, v in resumed.queries] == [(str(a), v) for a, v in full.queries]
    return saved


def test_auto_share_follows_whether_the_costs_come_in_levels():
    archs = SPACE.enumerate()
    levels = np.array(_cost_levels(archs))
    levels[:100] = np.nan  # unmeasured cells do not count
    assert auto_share(levels) == AUTO_SHARES["levels"] == 0.2
    assert auto_share(np.array(_cost(archs))) == AUTO_SHARES["continuous"] == 0.5


@pytest.mark.parametrize(("cost", "twins", "sweep"), [(_cost_levels, 20, 20), (_cost, 50, 20)])
def test_auto_twins_takes_its_share_from_the_cheap_costs_table(cost, twins, sweep):
    src = [ACC, as_fitness(cost, maximize=False, name="cost")]
    res = search("ednag", SPACE, src, max_queries=100, seed=3, cheap=[1], twins="auto")
    assert res.metadata["origins"]["twin"] == twins and res.unique_queries == 100
    assert res.metadata["origins"].get("sweep", 0) == sweep  # sweep="auto" (search.sweep)
    same = search("ednag", SPACE, src, max_queries=100, seed=3, cheap=[1], twins=twins / 100,
                  sweep=sweep / 100)  # fmt: skip
    assert [a.key for a, _ in same.queries] == [a.key for a, _ in res.queries]


def test_exact_staircase_widens_the_spread_of_a_mean_from_few_twins():
    index = TwinIndex(SPACE, lambda a: a.key)
    sizes = np.bincount(index.network)
    a, b, c = np.flatnonzero(sizes >= 5)[:3]
    ta, tb, tc = (np.flatnonzero(index.network == n) for n in (a, b, c))
    queried = [ta[0], tb[0], tb[1], tb[2], tc[0]]
    values = np.array([[0.5, 5.0], [0.45, 5.0], [0.5, 5.0], [0.55, 5.0], [0.6, 1.0]])
    exact = np.full(len(index.archs), np.nan)
    exact[queried] = values[:, 1]
    exact[ta[1]], exact[tb[3]] = 3.0, 2.0  # the only twins left with a cost
    keys = [index.keys[i] for i in queried]
    out = twin_batch(index, keys, values, (True, False), 2, exact)
    # same mean 0.5 below the bar 0.6; network a's mean rests on one twin, b's on three:
    # a's twin is likelier to beat the bar (before session 25: a tie, the cheaper b first)
    assert [index.position[o.key] for o in out] == [ta[1], tb[3]]


def test_exact_staircase_never_takes_twins_of_a_network_that_always_scores_the_same():
    # NAS-Bench-201's cells whose output is cut off score chance level, equal to 1e-9
    # of float rounding: their twins tie the bar and can never beat it
    index = TwinIndex(SPACE, lambda a: a.key)
    sizes = np.bincount(index.network)
    a, b = np.flatnonzero(sizes >= 6)[:2]
    ta, tb = (np.flatnonzero(index.network == n) for n in (a, b))
    queried = [ta[0], ta[1], tb[0], tb[1]]
    # network a: 1.0 twice (within a tie), the cheapest front point; b: noisy, costlier
    values = np.array([[1.0, 1.0], [1.0 + 1e-9, 1.5], [50.0, 4.0], [51.0, 5.0]])
    exact = np.full(len(index.archs), np.nan)
    exact[queried] = values[:, 1]
    exact[ta[2:6]] = [1.1, 1.2, 1.3, 1.4]  # a's twins: above its cheapest, below b's
    exact[tb[2:6]] = [4.5, 6.0, 7.0, 8.0]
    keys = [index.keys[i] for i in queried]
    out = [index.position[o.key] for o in twin_batch(index, keys, values, (True, False), 8, exact)]
    assert set(out[:4]) == set(tb[2:6].tolist())  # b's twins first; a's have no chance
    # a single queried twin is no evidence of a constant network: its twins keep a chance
    one = [ta[0], tb[0], tb[1]]
    out = twin_batch(index, [index.keys[i] for i in one], values[[0, 2, 3]], (True, False),
                     8, exact)  # fmt: skip
    assert {index.position[o.key] for o in out} & set(ta[2:6].tolist())
