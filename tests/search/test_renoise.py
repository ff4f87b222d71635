"""Renoised draws in the guided default (search.guided.renoised_draws, ``renoise=``; issue
#18, session 16): the forward process from the denoised estimate, how the searcher uses
it, its labels and its scope; ``preset="no-renoise"`` is the former default."""

from __future__ import annotations

import pytest
import torch

from ednag_opt import search
from ednag_opt.search.guided import denoised_estimate, renoised_draws, step_distribution
from ednag_opt.spaces import get_space
from ednag_opt.strategy import EvolutionaryDDIM
from ednag_opt.strategy.ddim import ddim_step

TARGET = (3, 1, 2, 4, 0, 3)


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


def _told(seed: int = 3) -> EvolutionaryDDIM:
    es = EvolutionaryDDIM((6, 5), popsize=8, num_steps=10, seed=seed)
    x = es.ask()
    es.tell(torch.tensor(_score(get_space("nas-bench-201").decode(x))))
    return es


def test_renoised_draws_are_the_forward_process_at_uniform_levels():
    x0 = torch.randn((8, 6, 5), generator=torch.Generator().manual_seed(0))
    gen = torch.Generator().manual_seed(1)
    state = gen.get_state()
    out = renoised_draws(x0, 4000, gen)
    assert out.shape == (4000, 8, 6, 5)
    replay = torch.Generator().set_state(state)
    z = torch.randn((4000, 8, 6, 5), generator=replay)
    a = torch.rand((4000, 1, 1, 1), generator=replay)
    assert torch.allclose(out, a.sqrt() * x0 + (1 - a).sqrt() * z)
    assert 0.47 < float(a.mean()) < 0.53 and float(a.min()) < 0.01 and float(a.max()) > 0.99
    assert renoised_draws(x0, 0, gen).shape == (0, 8, 6, 5)


def test_denoised_estimate_is_what_the_step_denoises_towards():
    es = _told()
    x0 = denoised_estimate(es)
    mean, _ = step_distribution(es)
    a_t, a_prev = es._alpha_pair()
    assert torch.allclose(mean, ddim_step(es.state.latent, x0, a_t, a_prev, es.sigma,
                                          torch.zeros_like(x0)))  # fmt: skip
    with pytest.raises(ValueError, match="told population"):
        denoised_estimate(EvolutionaryDDIM((6, 5), popsize=8, num_steps=10, seed=0))


def _run(budget=200, seed=4, **kw):
    return search("ednag", "nas-bench-201", _score, maximize=True, max_queries=budget,
                  seed=seed, **kw)  # fmt: skip


def _keys(res):
    return [str(a) for a, _ in res.queries]


def test_the_default_uses_renoised_draws_on_small_budgets_reproducibly():
    a, b = _run(), _run()
    assert _keys(a) == _keys(b)
    assert set(a.metadata["origins"]) == {"diffusion", "repair", "renoise"}
    assert a.metadata["origins"]["renoise"] > 0
    assert _keys(_run(renoise=16)) == _keys(a)  # "auto" is 16 = candidates on this budget
    assert _keys(_run(renoise="auto")) == _keys(a)


def test_without_renoise_the_former_default_query_for_query():
    former = _run(preset="no-renoise")
    assert "renoise" not in former.metadata["origins"]
    assert _keys(_run(renoise=0)) == _keys(former)
    assert _keys(_run()) != _keys(former)


def test_auto_keeps_large_budgets_and_the_ablation_without_renoised_draws():
    # 6,000 queries stretch T beyond 30 (budget_steps): "auto" adds no renoised draws there
    big = _run(budget=6000, seed=0, target=21.0)
    assert _keys(big) == _keys(_run(budget=6000, seed=0, target=21.0, preset="no-renoise"))
    off = _run(preset="repair-only", renoise="auto")
    assert "renoise" not in off.metadata["origins"]


@pytest.mark.parametrize("opts", [{"preset": "repair-only"}, {"guide": False},
                                  {"preset": "unguided"}, {"diffusion": False}])  # fmt: skip
def test_an_explicit_count_without_a_guided_diffusion_step_raises_early(opts):
    with pytest.raises(ValueError, match="renoise=16 draws need the guided diffusion"):
        _run(budget=5, renoise=16, **opts)
    _run(budget=5, renoise=0, **opts)  # none asked for: fine


@pytest.mark.parametrize("bad", [-1, 1.5, True, "many"])
def test_renoise_is_checked(bad):
    with pytest.raises(ValueError, match="renoise"):
        _run(budget=5, renoise=bad)
