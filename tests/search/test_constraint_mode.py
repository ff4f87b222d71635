"""Constraint mode of ``search("ednag", ...)`` for a penalised constrained source, and the
multi-objective searcher's budget-aware schedule (issue #18, MobileNetV3 under 25 ms)."""

from __future__ import annotations

import pytest
import torch

from ednag_opt import search
from ednag_opt.fitness import CachedFitness, as_fitness
from ednag_opt.fitness.predictors import LatencyConstrained


def _acc(archs):
    """Synthetic 'accuracy' (maximised, >= 0): convolutions count most."""
    return [str(a).count("nor_conv_3x3") + 0.6 * str(a).count("nor_conv_1x1")
            + 0.1 * str(a).count("avg_pool") for a in archs]  # fmt: skip


def _cost(archs):
    """Synthetic 'latency' (minimised)."""
    return [3.0 * str(a).count("nor_conv_3x3") + str(a).count("nor_conv_1x1")
            + 0.25 * str(a).count("avg_pool") + 0.05 * str(a).count("skip") for a in archs]


def _source(limit: float = 8.0) -> LatencyConstrained:
    return LatencyConstrained(as_fitness(_acc, maximize=True, name="acc"),
                              as_fitness(_cost, maximize=False, name="lat"), limit)  # fmt: skip


def test_split_is_the_default_and_reports_the_penalised_values():
    src = _source()
    cache = CachedFitness(src)
    res = search("ednag", "nas-bench-201", cache, max_queries=120, seed=0)
    assert res.metadata["searcher"] == "ednag-mo" and res.metadata["constraints"] == "split"
    archs = [a for a, _ in res.queries]
    assert len(archs) == 120 == cache.unique_queries
    fresh = _source()(archs)  # the source's own penalised values, evaluated again
    assert torch.equal(torch.tensor([v for _, v in res.queries], dtype=torch.float64), fresh)
    acc, lat, bound = src.constraint_parts()
    assert bound == 8.0 and acc.evaluations == lat.evaluations == 120  # each part once
    assert _cost([res.best_arch])[0] <= 8.0  # the best is feasible
    assert res.best_fitness == max(v for _, v in res.queries)


def test_penalty_runs_the_scalar_search_and_split_is_reproducible():
    res = search("ednag", "nas-bench-201", _source(), max_queries=60, seed=1,
                 constraints="penalty")  # fmt: skip
    assert res.metadata["searcher"] == "ednag" and "constraints" not in res.metadata
    a = search("ednag", "nas-bench-201", _source(), max_queries=60, seed=1)
    b = search("ednag", "nas-bench-201", _source(), max_queries=60, seed=1)
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]  # reproducible


def test_constraints_option_errors():
    with pytest.raises(ValueError, match="constraints must be one of"):
        search("ednag", "nas-bench-201", _source(), max_queries=20, constraints="yes")
    with pytest.raises(TypeError, match="constraints"):
        search("rea", "nas-bench-201", _source(), max_queries=20, constraints="split")
    plain = as_fitness(_acc, maximize=True, name="acc")  # nothing to split: the scalar search
    res = search("ednag", "nas-bench-201", plain, max_queries=20, seed=0)
    assert res.metadata["searcher"] == "ednag"


def _run_lengths(**kw) -> dict[int, int]:
    res = search("ednag", "nas-bench-201", [as_fitness(_acc, maximize=True, name="acc"),
                 as_fitness(_cost, maximize=False, name="lat")], seed=2, popsize=4,
                 preset="unguided", **kw)  # fmt: skip
    out: dict[int, int] = {}
    for row in res.history:
        out[row["run"]] = max(out.get(row["run"], 0), row["generation"])
    return out


def test_multiobjective_searcher_follows_the_budget_aware_schedule():
    fixed = _run_lengths(max_queries=100, num_steps=5)
    stretched = _run_lengths(max_queries=100, num_steps=5, runs=2)  # ceil(100 / 8) = 13
    assert fixed[0] == 5 and len(fixed) >= 4
    assert stretched[0] == 13 and len(stretched) == 2


def test_multiobjective_default_equals_fixed_steps_up_to_6000_queries():
    objs = [as_fitness(_acc, maximize=True, name="acc"), as_fitness(_cost, maximize=False)]
    a, b = (search("ednag", "nas-bench-201", objs, max_queries=80, seed=1, preset=p)
            for p in ("default", "fixed-steps"))  # fmt: skip
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]
