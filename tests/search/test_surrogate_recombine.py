"""Surrogate mode's ``recombine=``: recombinations of the best queried architectures first;
``recombine=0`` is the session-5 search, query for query."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ednag_opt import search
from ednag_opt.fitness import FunctionFitness
from ednag_opt.fitness.predictors import PriorSurrogate
from ednag_opt.search.surrogate import _Recombine
from ednag_opt.spaces import get_space

SPACE = get_space("nas-bench-201")
PRIOR = {"epochs": 40, "hidden": 32, "n_models": 2, "pairs": 256, "adapt_epochs": 30}
#: the values the session-5 code (before ``recombine``) queried in the run below
SESSION5 = [-0.2713, -2.8142, -1.1658, -0.9215, -0.7976, -1.816, -1.7774, -1.9197, -2.3037,
            -0.9914, -1.6921, -2.5699]  # fmt: skip


@pytest.fixture(scope="module")
def cells():
    every = SPACE.enumerate()
    return {tuple(int(o) for o in a.ops): a for a in every}


def run(recombine, task):
    torch.set_num_threads(1)
    archs = SPACE.sample(400, generator=torch.Generator().manual_seed(1))
    prior = PriorSurrogate(SPACE, seed=0, **PRIOR).fit(
        [(archs, task(1)(archs)), (archs, task(2)(archs))])  # fmt: skip
    f = task(5)
    return search("surrogate", SPACE, FunctionFitness(lambda a: f(a), maximize=True),
                  prior=prior, max_queries=12, seed=0, optimizer="exhaustive",
                  recombine=recombine)  # fmt: skip


def test_recombine_zero_is_the_session5_search(additive):
    res = run(0, additive)
    assert [round(float(v), 4) for _, v in res.queries] == SESSION5
    other = run(3, additive)
    assert [round(float(v), 4) for _, v in other.queries] != SESSION5
    assert other.queries[0][1] == res.queries[0][1]  # the prior's best cell comes first


def test_select_takes_recombinations_of_the_best_first(cells):
    a, b, c = cells[(3, 3, 3, 1, 3, 3)], cells[(3, 2, 2, 1, 3, 2)], cells[(0, 0, 0, 0, 0, 0)]
    data = [(c, -5.0), (a, 2.0), (b, 1.5)]  # the best two: a and b
    x, z = cells[(3, 2, 3, 1, 3, 3)], cells[(3, 3, 2, 1, 3, 3)]  # recombinations of a and b
    y, w = cells[(4, 4, 4, 4, 4, 4)], cells[(3, 0, 3, 1, 3, 3)]  # w takes edge 1 from c
    cand = [y, x, w, z]
    order = np.arange(4)  # by acquisition: y, x, w, z
    pick = _Recombine(SPACE, (1, 2, 0), 1.0, None).select(order, cand, None, data, 3)
    assert [cand[i] for i in pick] == [x, y, w]
    pick = _Recombine(SPACE, (3, 2, 0), 1.0, None).select(order, cand, None, data, 3)
    assert [cand[i] for i in pick] == [x, z, y]  # only two recombinations: topped up
    pick = _Recombine(SPACE, (3, 3, 0), 1.0, None).select(order, cand, None, data, 3)
    assert [cand[i] for i in pick] == [x, w, z]  # c's choices count once it is a parent
    pick = _Recombine(SPACE, (3, 2, 0), -1.0, None).select(order, cand, None, data, 3)
    assert [cand[i] for i in pick] == [y, x, w]  # minimising: c and b are the best two
    pick = _Recombine(SPACE, (3, 2, 4), 1.0, None).select(order, cand, None, data, 3)
    assert [cand[i] for i in pick] == [y, x, w]  # fewer than 4 queries: the plain order


@pytest.mark.parametrize(
    ("opts", "match"),
    [({"recombine": 4}, "at most per_round"), ({"recombine": -1}, "recombine must"),
     ({"recombine": 1.5}, "recombine must"), ({"recombine_top": 0}, "recombine_top must"),
     ({"recombine_after": -1}, "recombine_after must")],
)  # fmt: skip
def test_recombine_errors(opts, match, additive):
    f = additive(5)
    with pytest.raises(ValueError, match=match):
        search("surrogate", SPACE, FunctionFitness(lambda a: f(a), maximize=True),
               max_queries=12, seed=0, per_round=3, **opts)  # fmt: skip
