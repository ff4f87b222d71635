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
