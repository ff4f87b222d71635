"""The x0 estimate over decoded architectures (``estimate="decoded"``, session 17; an option,
not the default): what it computes, its scope in the search, and its validation."""

from __future__ import annotations

import zlib

import pytest
import torch

from ednag_opt import search
from ednag_opt.search.guided import denoised_estimate, step_distribution
from ednag_opt.spaces import get_space, list_spaces
from ednag_opt.strategy import EvolutionaryDDIM
from ednag_opt.strategy.guidance import estimate_x0

SPACE = get_space("nas-bench-201")
TARGET = (3, 1, 2, 4, 0, 3)


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


def _told() -> EvolutionaryDDIM:
    es = EvolutionaryDDIM((6, 5), popsize=8, num_steps=10, seed=3)
    es.tell(torch.tensor(_score(SPACE.decode(es.ask()))))
    return es


def test_the_decoded_estimate_mixes_the_populations_choices_per_row():
    es = _told()
    x0 = denoised_estimate(es, SPACE)
    assert x0.shape == (8, 6, 5)
    assert bool((x0 >= 0).all()) and torch.allclose(x0.sum(-1), torch.ones(8, 6))
    onehot = SPACE.encode(SPACE.decode(es.state.latent))
    logd = es.log_density(es._scores(es.state.fitness, es.state.violation))
    assert torch.allclose(x0, estimate_x0(onehot, logd, es._alpha_pair()[0]))
    # without the space: the strategy's own estimate over latents, which is not a mixture
    assert not torch.allclose(denoised_estimate(es), x0)
    mean, _ = step_distribution(es, SPACE)
    assert not torch.allclose(mean, step_distribution(es)[0])


def _keys(**kw):
    res = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=150, seed=5, **kw)
    return [str(a) for a, _ in res.queries]


def test_the_option_changes_the_guided_draws_only_and_reproducibly():
    base = _keys()
    assert _keys(estimate="latent") == base  # the default's
    dec = _keys(estimate="decoded")
    assert dec == _keys(estimate="decoded") and dec != base
    assert dec[:10] == base[:10]  # the first generation (the balanced start) is the same
    off = dict(preset="repair-only")  # no diffusion: no estimate to change
    assert _keys(estimate="decoded", **off) == _keys(**off)


@pytest.mark.parametrize("bad", ["onehot", None, 1])
def test_estimate_is_checked(bad):
    if bad is None:  # None means "the preset's"
        _keys(estimate=None)
        return
    with pytest.raises(ValueError, match="estimate must be one of"):
        _keys(estimate=bad)


@pytest.mark.parametrize("name", list_spaces())
def test_the_decoded_estimate_runs_on_every_space_reproducibly(name):
    def crc(archs):
        return [float(zlib.crc32(str(a).encode()) % 1000) for a in archs]

    runs = [search("ednag", name, crc, maximize=True, max_queries=60, seed=1, estimate="decoded")
            for _ in range(2)]  # fmt: skip
    assert runs[0].unique_queries == 60
    assert [str(a) for a, _ in runs[0].queries] == [str(a) for a, _ in runs[1].queries]
    assert runs[0].metadata["origins"].get("renoise", 0) > 0
