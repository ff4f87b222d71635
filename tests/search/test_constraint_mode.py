"""Constraint mode of ``search("ednag", ...)`` for a penalised constrained source, and the
multi-objective searcher's budget-aware schedule, and ``constraints="staged"`` (one
constraint-mode run, then the penalised scalar; ``search.staged``) (issue #18, MobileNetV3
under 25 ms)."""

from __future__ import annotations

import pytest
import torch

from ednag_opt import search
from ednag_opt.fitness import CachedFitness, as_fitness
from ednag_opt.fitness.predictors import LatencyConstrained
from ednag_opt.search import ednag as ednag_module
from ednag_opt.search.staged import first_stage
from ednag_opt.search.tracker import Tracker


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


def test_split_reports_the_penalised_values():
    src = _source()
    cache = CachedFitness(src)
    res = search("ednag", "nas-bench-201", cache, max_queries=120, seed=0, constraints="split")
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
    a, b = (search("ednag", "nas-bench-201", _source(), max_queries=60, seed=1,
                   constraints="split") for _ in range(2))  # fmt: skip
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


# ---------------------------------------------------------- constraints="staged"


def _keys(res) -> list[str]:
    return [str(a) for a, _ in res.queries]


def test_first_stage_is_one_constraint_mode_run():
    assert first_stage(10_000) == 1000  # N = 20, T = 50
    assert first_stage(1000) == 600  # N = 20, T = 30
    assert first_stage(600) is None and first_stage(100) is None  # within one run: split only
    assert first_stage(None) is None
    assert first_stage(10_000, "fixed-steps") == 600  # T = 30 whatever the budget
    assert first_stage(10_000, popsize=50) == 1500  # N = 50, T = max(30, 10,000 / 500)
    assert first_stage(10_000, popsize=8, num_steps=5) == 40  # an explicit T is fixed


def test_staged_is_the_default_starts_as_split_then_searches_the_scalar():
    split = search("ednag", "nas-bench-201", _source(), max_queries=800, seed=3,
                   constraints="split")  # fmt: skip
    staged = search("ednag", "nas-bench-201", _source(), max_queries=800, seed=3)
    assert staged.metadata["searcher"] == "ednag-staged"
    assert staged.metadata["constraints"] == "staged"
    assert staged.unique_queries == 800 and staged.extras["first_stage"] == 600
    assert _keys(staged)[:600] == _keys(split)[:600]  # the first run is constraint mode's
    assert _keys(staged)[600:] != _keys(split)[600:]
    off = search("ednag", "nas-bench-201", _source(), max_queries=800, seed=3,
                 constraints="staged", preset="repair-only")  # the diffusion-off ablation
    origins = off.metadata["origins"]  # only the runs' first generations are noise samples
    assert off.unique_queries == 800 and origins["diffusion"] < 0.05 * 800 < origins["repair"]
    fresh = _source()([a for a, _ in staged.queries])  # the tracker holds penalised values
    assert torch.equal(torch.tensor([v for _, v in staged.queries], dtype=torch.float64), fresh)
    assert staged.best_fitness == max(v for _, v in staged.queries)
    assert _cost([staged.best_arch])[0] <= 8.0


def test_staged_is_reproducible_and_equals_split_within_one_run():
    a, b = (search("ednag", "nas-bench-201", _source(), max_queries=700, seed=5,
                   constraints="staged") for _ in range(2))  # fmt: skip
    assert _keys(a) == _keys(b)
    short = search("ednag", "nas-bench-201", _source(), max_queries=300, seed=5,
                   constraints="staged")  # fmt: skip
    split = search("ednag", "nas-bench-201", _source(), max_queries=300, seed=5,
                   constraints="split")  # fmt: skip
    assert _keys(short) == _keys(split) and short.extras["first_stage"] == 300
    sized = search("ednag", "nas-bench-201", _source(), max_queries=100, seed=5, popsize=6,
                   num_steps=5, constraints="staged")  # N = 6, T = 5: stage 1 is 30 queries
    assert sized.extras["first_stage"] == 30 and sized.unique_queries == 100
    assert {row["batch_size"] for row in sized.history} == {6}  # both stages take N = 6


def test_staged_takes_no_searcher_options():
    with pytest.raises(TypeError, match="no option"):
        search("ednag", "nas-bench-201", _source(), max_queries=50, constraints="staged",
               sigma=0.5)  # fmt: skip
    with pytest.raises(ValueError, match="popsize"):
        search("ednag", "nas-bench-201", _source(), max_queries=50, popsize=0)
    with pytest.raises(ValueError, match="warm_restarts=True needs"):
        search("ednag", "nas-bench-201", _source(), max_queries=50, constraints="staged",
               preset="archive")  # fmt: skip
    plain = as_fitness(_acc, maximize=True, name="acc")  # nothing to stage: the scalar search
    res = search("ednag", "nas-bench-201", plain, max_queries=20, seed=0, constraints="staged")
    assert res.metadata["searcher"] == "ednag"


def test_a_later_stage_warm_starts_its_first_run(monkeypatch):
    from ednag_opt.fitness import CachedFitness
    from ednag_opt.spaces import get_space

    space = get_space("nas-bench-201")
    calls = []
    real = ednag_module._elites
    monkeypatch.setattr(ednag_module, "_elites",
                        lambda tracker, k: calls.append(k) or real(tracker, k))  # fmt: skip
    fit = as_fitness(_acc, maximize=True, name="acc")
    tracker = Tracker(space, CachedFitness(fit), maximize=True, max_queries=60)
    one = ednag_module.run_ednag(space, tracker, seed=0, warm_restarts=True, popsize=6,
                                 num_steps=5)  # fmt: skip
    assert one["runs"] >= 2 and len(calls) == one["runs"] - 1  # a fresh tracker: run 0 is cold
    tracker.max_queries = 120  # a later stage on the same tracker
    tracker.stop_reason = None
    two = ednag_module.run_ednag(space, tracker, seed=1, warm_restarts=True, popsize=6,
                                 num_steps=5)  # fmt: skip
    assert len(calls) == one["runs"] - 1 + two["runs"]  # every run of the later stage is warm
    assert calls == [3] * len(calls) and tracker.unique_queries == 120


def test_staged_resumes_bit_identically_after_a_crash_in_its_second_stage(tmp_path):
    state: dict = {"n": 0, "fail": None}

    def acc(archs):
        state["n"] += len(archs)
        if state["fail"] is not None and state["n"] > state["fail"]:
            raise RuntimeError("the machine died")
        return _acc(archs)

    def source():
        return LatencyConstrained(as_fitness(acc, maximize=True, name="acc"),
                                  as_fitness(_cost, maximize=False, name="lat"), 8.0)  # fmt: skip

    full = search("ednag", "nas-bench-201", source(), max_queries=700, seed=4)
    ck = tmp_path / "staged.json"
    state.update(n=0, fail=650)  # after the first stage's 600 queries
    with pytest.raises(RuntimeError, match="died") as info:
        search("ednag", "nas-bench-201", source(), max_queries=700, seed=4, checkpoint=ck)
    assert 600 < info.value.partial_result.unique_queries < 700
    done = info.value.partial_result.unique_queries
    state.update(n=0, fail=None)
    resumed = search("ednag", "nas-bench-201", source(), max_queries=700, seed=4, checkpoint=ck)
    assert [(str(a), v) for a, v in resumed.queries] == [(str(a), v) for a, v in full.queries]
    assert resumed.metadata["constraints"] == "staged"
    assert state["n"] == 700 - done  # both parts were saved: only new queries are evaluated


def test_constrained_parts_survive_a_checkpoint():
    src = _source()
    archs = [a for a, _ in search("random", "nas-bench-201", src, max_queries=5, seed=0).queries]
    rows = src.saved_values(archs)
    assert rows == [[a, c] for a, c in zip(_acc(archs), _cost(archs))]
    assert src.saved_values([]) == []
    fresh = _source()
    acc, lat, _ = fresh.constraint_parts()
    fresh.restore_values({acc.key(a): r for a, r in zip(archs, rows)})
    assert fresh.saved_values(archs) == rows and acc.evaluations == lat.evaluations == 0
    with pytest.raises(ValueError, match="need 2"):
        fresh.restore_values({"x": [1.0]})
