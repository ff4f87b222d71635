"""The balanced first generation of EDNAG (issue #18): a design in the argmax, same noise."""

from __future__ import annotations

from collections import Counter

import pytest
import torch

from ednag_opt import search
from ednag_opt.search.ednag import resolve_preset
from ednag_opt.search.guided import balanced_start
from ednag_opt.spaces import get_space

TARGET = (3, 1, 2, 4, 0, 3)


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


@pytest.mark.parametrize(
    "name,n", [("nas-bench-201", 10), ("transnas-macro", 7), ("mobilenetv3", 10)]
)
def test_each_row_spreads_its_choices_evenly_and_each_latent_keeps_its_values(name, n):
    space = get_space(name)
    mask = space.mask
    x = torch.randn((n, *mask.shape), generator=torch.Generator().manual_seed(0))
    before = x.clone()
    y = balanced_start(x, mask, torch.Generator().manual_seed(1))
    assert torch.equal(x, before)  # a new tensor
    arg = y.masked_fill(~mask, -torch.inf).argmax(dim=2)
    for j in range(mask.shape[0]):
        c = int(mask[j].sum())
        if c < 2:
            continue
        counts = Counter(arg[:, j].tolist())
        assert set(counts) <= set(mask[j].nonzero().flatten().tolist())
        assert min(counts.get(k, 0) for k in mask[j].nonzero().flatten().tolist()) >= n // c
        assert max(counts.values()) <= -(-n // c)
    # a transposition per row: every row keeps its multiset of values
    assert torch.equal(x.sort(dim=2).values, y.sort(dim=2).values)


def test_balanced_start_is_reproducible_and_only_changes_the_first_generation():
    kw = dict(maximize=True, max_queries=60, popsize=10)
    a, b = (search("ednag", "nas-bench-201", _score, seed=2, start="balanced", **kw)
            for _ in range(2))  # fmt: skip
    assert [str(q) for q, _ in a.queries] == [str(q) for q, _ in b.queries]
    first = [q.ops for q, _ in a.queries[:10]]
    for j in range(6):  # NB201: 5 ops per edge, 10 particles: each op twice
        assert sorted(Counter(o[j] for o in first).values()) == [2] * 5
    r = search("ednag", "nas-bench-201", _score, seed=2, preset="random-start", **kw)
    assert [str(q) for q, _ in r.queries] != [str(q) for q, _ in a.queries]


def test_start_option_is_checked():
    assert resolve_preset("default", None, None, None, start="balanced").start == "balanced"
    with pytest.raises(ValueError, match="start"):
        resolve_preset("default", None, None, None, start="sobol")


def _queries(max_queries, **kw):
    res = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=max_queries,
                 seed=4, popsize=4, target=21.0, **kw)  # fmt: skip
    return [str(q) for q, _ in res.queries]


def test_default_starts_balanced_only_where_the_schedule_keeps_t():
    # N = 4, runs = 10: T = 30 up to B = 10 * 4 * 30 = 1,200 queries, stretched beyond
    small, large = 1200, 1201
    assert _queries(small) == _queries(small, start="balanced")
    assert _queries(small) != _queries(small, preset="random-start")
    # a stretched schedule keeps the random start: the large-budget runs (MobileNetV3 at
    # 10,000 calls) are those of the session-7 default, query for query
    assert _queries(large) == _queries(large, preset="random-start")
    assert _queries(large) != _queries(large, start="balanced")
