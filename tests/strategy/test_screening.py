"""The screened x0 kernel (float32 screen, float64 refinement) equals the exact estimate."""

from __future__ import annotations

import math

import pytest
import torch

from ednag_opt.strategy import guidance, screening
from ednag_opt.strategy.guidance import estimate_x0
from ednag_opt.strategy.screening import screened_x0, squared_norms


def _exact_x0(x: torch.Tensor, log_g: torch.Tensor, alpha: float) -> torch.Tensor:
    """The estimate from float64 distances, no expansion of the square: the reference."""
    x64 = x.reshape(x.shape[0], -1).double()
    d2 = torch.cdist(x64, alpha**0.5 * x64).square()  # [j, i] = ||x_j - sqrt(a) x_i||²
    w = torch.softmax(log_g.double().unsqueeze(0) - d2 / (2.0 * (1.0 - alpha)), dim=1)
    return (w @ x64).reshape(x.shape)


def _clustered(seed: int, n: int, d: int, spread: float) -> torch.Tensor:
    """A population of near-duplicates: n // 4 centres, four members around each, so a
    target's weight is shared by several sources (what the screen must not drop)."""
    g = torch.Generator().manual_seed(seed)
    centres = torch.rand(n // 4, d, generator=g) * 2 - 1
    x = centres.repeat_interleave(4, dim=0) + spread * torch.randn(n, d, generator=g)
    return x.clamp(-1.0, 1.0)


@pytest.mark.parametrize("alpha", [0.5, 0.9, 0.99, 0.9999])
@pytest.mark.parametrize("spread", [0.0, 1e-3, 3e-3])
def test_screened_x0_equals_the_exact_estimate(alpha: float, spread: float) -> None:
    x = _clustered(0, 96, 300, spread)
    log_g = guidance.rank_map(torch.randn(96, generator=torch.Generator().manual_seed(1)))
    log_g[7] = -math.inf  # excluded: no weight anywhere
    scale = 2.0 * (1.0 - alpha)
    est = screened_x0(x, squared_norms(x), log_g, alpha, scale, slice(None))
    assert est is not None and est.dtype == torch.float32
    exact = _exact_x0(x, log_g, alpha)
    torch.testing.assert_close(est.double(), exact, rtol=0, atol=4e-7)
    # the weight really is shared: the estimate is not a copy of the target
    if spread > 0 and alpha < 0.999:
        assert float((est - x).abs().max()) > 1e-4
    # deterministic, and blocks of rows give the same rows
    again = screened_x0(x, squared_norms(x), log_g, alpha, scale, slice(None))
    assert torch.equal(est, again)
    block = screened_x0(x, squared_norms(x), log_g, alpha, scale, slice(40, 72))
    assert block is not None
    torch.testing.assert_close(block, est[40:72], rtol=0, atol=1e-7)


def test_wide_kernel_falls_back_to_the_dense_path() -> None:
    x = _clustered(2, 64, 20, 0.3)
    log_g = torch.zeros(64)
    assert screened_x0(x, squared_norms(x), log_g, 1e-3, 2.0 * (1.0 - 1e-3), slice(None)) is None


def test_error_bound_covers_the_float32_logits() -> None:
    g = torch.Generator().manual_seed(3)
    for d, a in [(50, 0.3), (1000, 0.9), (4000, 0.999)]:
        x = (torch.rand(64, d, generator=g) * 2 - 1) * 3
        log_g = torch.randn(64, generator=g).double()
        sq = squared_norms(x)
        scale, coef = 2 * (1 - a), 2 * a**0.5 / (2 * (1 - a))
        bias = log_g - (a / scale) * sq
        approx = torch.addmm(bias.float(), x, x.T, alpha=coef).double()
        exact = coef * (x.double() @ x.double().T) + bias
        u = 2.0**-24
        err = coef * (screening._dot_error_bound(d) + 4 * u) * (sq * sq.max()).sqrt()
        err = err + 4 * u * float(bias.abs().max())
        assert bool(((approx - exact).abs() <= err.unsqueeze(1)).all())


def test_estimate_x0_screens_large_float32_populations(monkeypatch: pytest.MonkeyPatch) -> None:
    x = _clustered(4, 80, 200, 2e-3).reshape(80, 20, 10)  # D = 200 >= SCREEN_MIN_DIM
    log_g = guidance.rank_map(torch.randn(80, generator=torch.Generator().manual_seed(5)))
    calls = {"screened": 0, "tried": 0}
    real = guidance.screened_x0

    def spy(*args: object) -> torch.Tensor | None:
        out = real(*args)
        calls["tried"] += 1
        calls["screened"] += out is not None
        return out

    monkeypatch.setattr(guidance, "screened_x0", spy)
    small = estimate_x0(x, log_g, 0.99)  # below SCREEN_MIN_WORK: the dense path
    dense_wide = estimate_x0(x, log_g, 0.05)
    assert calls["tried"] == 0
    monkeypatch.setattr(screening, "SCREEN_MIN_WORK", 1)
    # a wide kernel: the screen gives up after its GEMM
    wide = estimate_x0(x, log_g, 0.05)
    assert calls == {"screened": 0, "tried": 1}
    assert torch.equal(wide, dense_wide)
    exact = _exact_x0(x, log_g, 0.99)
    for kwargs, atol in (({}, 4e-7), ({"chunk": 30}, 2e-6), ({"fused": True}, 4e-7)):
        est = estimate_x0(x, log_g, 0.99, **kwargs)
        assert est.shape == x.shape
        torch.testing.assert_close(est.double(), exact, rtol=0, atol=atol)
    # whole, and fused (one block either way); row blocks stay dense
    assert calls["screened"] == 1 + 0 + 1
    # the dense path agrees to its own rounding (its squared norms are float32 sums)
    torch.testing.assert_close(small.double(), exact, rtol=0, atol=2e-6)
    # float64 populations keep the dense path
    estimate_x0(x.double(), log_g, 0.99)
    assert calls["screened"] == 2


def test_screen_needs_size_dimension_cpu_and_float32() -> None:
    big = torch.zeros(1, dtype=torch.float32)
    assert screening.screen_useful(256, 256, 1000, big)
    assert not screening.screen_useful(256, 256, 1000, big.double())
    assert not screening.screen_useful(64, 64, 1000, big)  # too little work
    assert not screening.screen_useful(4096, 4096, 20, big)  # black-box dimension


def test_non_finite_members_send_the_call_to_the_dense_path() -> None:
    x = _clustered(6, 48, 100, 1e-3)
    x[3, 5] = math.inf
    log_g = torch.zeros(48)
    sq = squared_norms(x)
    assert screened_x0(x, sq, log_g, 0.99, 0.02, slice(None)) is None
