"""The budget-aware schedule of the EDNAG default (issue #18): runs last longer on large budgets."""

from __future__ import annotations

import pytest

from ednag_opt import search
from ednag_opt.search import PRESETS
from ednag_opt.search.ednag import budget_steps, resolve_preset

TARGET = (3, 1, 2, 4, 0, 3)


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


def test_budget_steps_hold_about_runs_runs_and_never_go_below_the_preset():
    assert budget_steps(30, 10, 10_000, 10) == 100  # MobileNetV3, 10,000 calls
    assert budget_steps(30, 10, 1_000, 10) == 30  # NB201 / TransNAS budgets: unchanged
    assert budget_steps(30, 10, 3_001, 10) == 31
    assert budget_steps(30, 10, 10_000, 0) == 30  # runs=0: fixed T
    assert budget_steps(30, 10, None, 10) == 30  # no budget: one run of the preset's T


def test_presets_and_explicit_steps():
    assert PRESETS["default"].runs == 10 and PRESETS["repair-only"].runs == 10
    assert PRESETS["fixed-steps"].runs == 0
    assert PRESETS["fixed-steps"].strategy == PRESETS["default"].strategy
    assert resolve_preset("default", None, None, 50).runs == 0  # explicit T is kept
    assert resolve_preset("default", None, None, 50, runs=4).runs == 4
    with pytest.raises(ValueError, match="runs"):
        resolve_preset("default", None, None, None, runs=-1)


def _generations(**kw) -> dict[int, int]:
    res = search("ednag", "nas-bench-201", _score, maximize=True, seed=3, preset="unguided",
                 popsize=4, num_steps=5, **kw)  # fmt: skip
    out: dict[int, int] = {}
    for row in res.history:
        out[row["run"]] = max(out.get(row["run"], 0), row["generation"])
    return out


def test_runs_stretch_each_diffusion_run_to_a_share_of_the_budget():
    fixed = _generations(max_queries=200)
    stretched = _generations(max_queries=200, runs=2)  # T = max(5, ceil(200 / 8)) = 25
    assert fixed[0] == 5 and len(fixed) >= 8
    assert stretched[0] == 25 and len(stretched) == 2


@pytest.mark.parametrize("preset,ablation", [
    ("default", {"preset": "fixed-steps", "start": "auto", "renoise": "auto"}),
    ("random-start", {"preset": "fixed-steps"}),
])
def test_default_equals_fixed_steps_on_small_budgets(preset, ablation):
    a, b = (search("ednag", "nas-bench-201", _score, maximize=True, max_queries=80, seed=1, **kw)
            for kw in ({"preset": preset}, ablation))  # fmt: skip
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]
