"""Tests of the EDNAG variants of issue #18: repair-only ablation, archive x0, denoise move."""

from __future__ import annotations

import pytest
import torch

from ednag_opt import search
from ednag_opt.search.ednag_archive import archive_x0, denoise_flip
from ednag_opt.spaces import get_space

TARGET = (3, 1, 2, 4, 0, 3)


def _score(archs):
    return [float(sum((i + 1) * (o == t) for i, (o, t) in enumerate(zip(a.ops, TARGET))))
            for a in archs]  # fmt: skip


@pytest.mark.parametrize("preset", ["repair-only", "unguided-repair-only"])
def test_repair_only_queries_no_diffusion_sample_after_the_first_generation(preset):
    res = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=120, seed=0,
                 preset=preset)  # fmt: skip
    assert res.metadata["origins"] == {"diffusion": 10, "repair": 110}
    default = search("ednag", "nas-bench-201", _score, maximize=True, max_queries=120, seed=0)
    assert default.metadata["origins"]["diffusion"] > 10


def test_diffusion_false_needs_the_parent_move():
    with pytest.raises(ValueError, match="diffusion=False"):
        search("ednag", "nas-bench-201", _score, maximize=True, max_queries=5,
               diffusion=False, novelty="mutate")  # fmt: skip


def test_archive_x0_weights_fitness_early_and_proximity_late():
    data = torch.tensor([[[1.0, -1.0]], [[-1.0, 1.0]]])
    z = torch.tensor([[[0.9, -0.9]]])
    log_g = torch.tensor([0.0, 5.0])
    early = archive_x0(z, data, log_g, 1e-4)  # kernel flat: the fitter point dominates
    late = archive_x0(z, data, log_g, 0.999)  # kernel sharp: the nearer point dominates
    assert torch.allclose(early, data[1:], atol=0.02)
    assert torch.allclose(late, data[:1], atol=1e-3)
    mask = torch.ones(1, 2, dtype=torch.bool)
    ham = archive_x0(z, data, log_g, 0.999, hamming=1.0, mask=mask)
    assert torch.allclose(ham, data[:1], atol=1e-3)


def test_denoise_flip_changes_the_row_closest_to_flipping():
    mask = torch.ones(3, 3, dtype=torch.bool)
    z = torch.tensor([[[1.0, 0.0, 0.0], [0.5, 0.45, 0.0], [0.0, 0.9, 0.1]]])
    out = denoise_flip(z, mask, 0)
    assert out[0].argmax(dim=1).tolist() == [0, 1, 1]  # row 1 (margin 0.05) flipped
    out = denoise_flip(z, mask, 1)
    assert out[0].argmax(dim=1).tolist() == [0, 0, 2]  # next-smallest margin: row 2


@pytest.mark.parametrize("kw", [dict(preset="archive"), dict(preset="archive", hamming=0.3),
                                dict(novelty="denoise"), dict(novelty="toward")])  # fmt: skip
def test_variants_keep_budget_and_seed(kw):
    space = get_space("nas-bench-201")
    a, b = (search("ednag", space, _score, maximize=True, max_queries=45, seed=3, **kw)
            for _ in range(2))  # fmt: skip
    assert a.unique_queries == 45 and [str(x) for x, _ in a.queries] == [
        str(x) for x, _ in b.queries
    ]
    assert set(a.metadata["origins"]) <= {"diffusion", "guided", "repair"}
