"""Model-guided denoising (search.guided): the guide, the step distribution, the searcher."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ednag_opt import search
from ednag_opt.search.guided import RidgeGuide, step_distribution
from ednag_opt.spaces import get_space
from ednag_opt.strategy import EvolutionaryDDIM

TARGET = (3, 1, 2, 4, 0, 3)
BEST = 21.0  # sum of (row + 1) over the six rows: every row on TARGET


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


def test_ridge_guide_learns_the_ranking_direction_and_drops_nan():
    space = get_space("nas-bench-201")
    archs = space.sample(60, generator=torch.Generator().manual_seed(0))
    y = np.array(_score(archs))
    y[:3] = np.nan
    test = space.sample(200, generator=torch.Generator().manual_seed(1))
    truth = np.array(_score(test))
    up = RidgeGuide(space).fit(archs, y, maximize=True).predict(test)
    down = RidgeGuide(space).fit(archs, -y, maximize=False).predict(test)
    assert np.corrcoef(up, truth)[0, 1] > 0.8
    assert np.allclose(up, down)  # minimising -y ranks as maximising y


def test_ridge_guide_without_enough_data_has_no_preference():
    space = get_space("nas-bench-201")
    archs = space.sample(4, generator=torch.Generator().manual_seed(0))
    guide = RidgeGuide(space).fit(archs, [1.0, 2.0, math.nan, 3.0])
    assert guide.model is None and guide.predict(archs).tolist() == [0.0] * 4
    with pytest.raises(ValueError, match="alpha"):
        RidgeGuide(space, alpha=0.0)


def test_step_distribution_is_what_ask_draws_from():
    es = EvolutionaryDDIM((6, 5), popsize=8, num_steps=10, seed=3)
    x = es.ask()
    es.tell(torch.tensor(_score(get_space("nas-bench-201").decode(x))))
    mean, sigma = step_distribution(es)
    state = es.generator.get_state()
    z = es.ask()
    noise = torch.randn(z.shape, generator=torch.Generator().set_state(state))
    assert sigma > 0 and torch.allclose(z, mean + sigma * noise, atol=1e-5)


def _queries_to_best(preset, seed):
    res = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=400, seed=seed,
                 preset=preset)  # fmt: skip
    return res.queries_to_reach(BEST) or math.inf


def test_guided_default_finds_the_optimum_sooner_than_unguided():
    guided = [_queries_to_best("default", s) for s in range(5)]
    unguided = [_queries_to_best("unguided", s) for s in range(5)]
    assert np.median(guided) < 0.5 * np.median(unguided), (guided, unguided)


def test_guided_runs_are_reproducible_and_label_their_origins():
    a, b = (search("ednag", "nas-bench-201", _score, maximize=True, max_queries=60, seed=5)
            for _ in range(2))  # fmt: skip
    assert [str(x) for x, _ in a.queries] == [str(x) for x, _ in b.queries]
    assert a.unique_queries == 60 and len({str(x) for x, _ in a.queries}) == 60
    assert set(a.metadata["origins"]) == {"diffusion", "repair", "renoise"}


@pytest.mark.parametrize("kw", [dict(guide=True, novelty="mutate"), dict(candidates=0)])
def test_guided_options_are_checked(kw):
    with pytest.raises(ValueError):
        search("ednag", "nas-bench-201", _score, maximize=True, max_queries=5, **kw)
