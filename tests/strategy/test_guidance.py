import math

import numpy as np
import pytest
import torch

from ednag_opt.strategy.guidance import (
    energy_map,
    estimate_x0,
    get_fitness_map,
    identity_map,
    kernel_log_weights,
    power_map,
    rank_map,
)


def test_x0_three_points_by_hand():
    # 1-D points 0, 1, 2; densities g = 1, 2, 4; alpha = 0.5 -> sqrt(alpha) = 1/sqrt(2),
    # variance 1 - alpha = 0.5: w[j, i] ∝ g_i * exp(-(x_j - x_i / sqrt 2)^2)
    x = torch.tensor([[0.0], [1.0], [2.0]])
    g = torch.tensor([1.0, 2.0, 4.0])
    est = estimate_x0(x, g.log(), 0.5)
    xs = [0.0, 1.0, 2.0]
    for j, xj in enumerate(xs):
        w = [gi * math.exp(-((xj - xi / math.sqrt(2)) ** 2)) for gi, xi in zip(g.tolist(), xs)]
        expect = sum(wi * xi for wi, xi in zip(w, xs)) / sum(w)
        assert est[j, 0].item() == pytest.approx(expect, rel=1e-5)


def test_weights_match_full_gaussian_formula():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(7, 3, 2, generator=gen, dtype=torch.float64)
    logg = torch.randn(7, generator=gen, dtype=torch.float64)
    a = 0.3
    lw = kernel_log_weights(x, logg, a)
    flat = x.reshape(7, -1).numpy()
    d2 = ((flat[:, None, :] - math.sqrt(a) * flat[None, :, :]) ** 2).sum(-1)
    logits = logg.numpy()[None, :] - d2 / (2 * (1 - a))
    ref = logits - np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1, keepdims=True))
    ref -= logits.max(1, keepdims=True)
    assert np.allclose(lw.numpy(), ref, atol=1e-9)
    assert torch.allclose(lw.exp().sum(1), torch.ones(7, dtype=torch.float64))


@pytest.mark.parametrize("dim", [1000, 5000])
def test_no_underflow_in_float32_high_dim(dim):
    gen = torch.Generator().manual_seed(1)
    x = torch.randn(64, dim, generator=gen) * 10
    logg = rank_map(torch.randn(64, generator=gen, dtype=torch.float64))
    for alpha in (1e-4, 0.5, 1 - 1e-4):
        est = estimate_x0(x, logg, alpha)
        assert est.dtype == torch.float32
        assert torch.isfinite(est).all()


def test_non_finite_fitness_gets_zero_weight():
    s = torch.tensor([1.0, float("nan"), 3.0, float("inf"), -float("inf")], dtype=torch.float64)
    for fmap in (rank_map, energy_map):
        lg = fmap(s)
        assert torch.isinf(lg[[1, 3, 4]]).all() and torch.isfinite(lg[[0, 2]]).all()
        w = kernel_log_weights(torch.arange(5.0).unsqueeze(1), lg, 0.5).exp()
        assert not torch.isnan(w).any()
        assert torch.all(w[:, [1, 3, 4]] == 0)
    all_bad = rank_map(torch.full((4,), float("nan"), dtype=torch.float64))
    assert torch.equal(all_bad, torch.zeros(4, dtype=torch.float64))


def test_rank_map_scale_invariant_and_ties():
    s = torch.tensor([3.0, 1.0, 2.0, 2.0], dtype=torch.float64)
    lg = rank_map(s, temperature=1.0)
    assert torch.allclose(lg, torch.tensor([0.0, -1.0, -0.5, -0.5], dtype=torch.float64))
    assert torch.allclose(rank_map(1000 * s + 7), rank_map(s))
    assert torch.allclose(rank_map(s.exp()), rank_map(s))


def test_energy_identity_power():
    s = torch.tensor([1.0, 2.0, 4.0], dtype=torch.float64)
    assert torch.allclose(energy_map(s, 2.0), (s - 4.0) / 2.0)
    assert torch.allclose(identity_map(s), s.log())
    assert torch.allclose(power_map(s, 3.0), 3 * s.log())
    with pytest.raises(ValueError, match="non-negative"):
        identity_map(torch.tensor([-1.0, 2.0], dtype=torch.float64))


def test_get_fitness_map_errors_and_callable():
    with pytest.raises(ValueError, match="unknown fitness_map"):
        get_fitness_map("softmax")
    with pytest.raises(ValueError, match="temperature"):
        get_fitness_map("rank", temperature=0.0)
    f = get_fitness_map(lambda s: s * 0)
    assert torch.equal(f(torch.ones(2)), torch.zeros(2))
