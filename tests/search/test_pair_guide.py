"""The second-order guide (search.pair_guide) in the single-objective searcher."""

from __future__ import annotations

import pytest

from ednag_opt import get_space, search
from ednag_opt.search.guided import RidgeGuide
from ednag_opt.search.pair_guide import PairRidgeGuide, make_guide


def test_make_guide_picks_the_model_per_space():
    assert type(make_guide(get_space("nas-bench-201"))) is PairRidgeGuide
    assert type(make_guide(get_space("mobilenetv3"))) is RidgeGuide
    assert type(make_guide(get_space("nas-bench-201"), "onehot")) is RidgeGuide
    with pytest.raises(ValueError, match="features must be"):
        make_guide(get_space("nas-bench-201"), "triples")
    with pytest.raises(ValueError, match="alpha"):
        make_guide(get_space("nas-bench-201"), "pairs", alpha=0.0)


def test_single_objective_searcher_takes_guide_features(additive):
    task = additive(0)
    kw = dict(max_queries=80, seed=2, maximize=True)
    runs = {f: search("ednag", "nas-bench-201", task, guide_features=f, **kw)
            for f in ("onehot", "pairs", "auto")}  # fmt: skip
    keys = {f: [str(a) for a, _ in r.queries] for f, r in runs.items()}
    assert keys["pairs"] == keys["auto"] != keys["onehot"]
    assert all(r.unique_queries == 80 for r in runs.values())
    with pytest.raises(ValueError, match="features must be"):
        search("ednag", "nas-bench-201", task, guide_features="x", **kw)


def test_presets_carry_their_guide_features():
    from ednag_opt.search.presets import PRESETS, EDNAGPreset, resolve_preset

    # additive everywhere in the single-objective searcher (pairs did not carry on the
    # NAS-Bench-201 / TransNAS tuning seeds; docs/results_search.md, "Session 8")
    assert {p.features for p in PRESETS.values()} == {"onehot"}
    assert resolve_preset("default", None, None, None, features="auto").features == "auto"
    with pytest.raises(ValueError, match="features must be"):
        EDNAGPreset(features="cubic")
