"""The fast paths of the x0 kernel and of farthest-point selection equal their references."""

from __future__ import annotations

import subprocess
import sys

import pytest
import torch

from ednag_opt.strategy import guidance, selection
from ednag_opt.strategy.guidance import estimate_x0, kernel_log_weights
from ednag_opt.strategy.selection import diversity_indices


def _pool(seed: int, m: int, d: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(m, d, generator=g)
    scores = torch.randn(m, generator=g)
    cand = torch.rand(m, generator=g) > 0.2
    return x, scores, cand


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n_ref", [0, 1, 7])
def test_incremental_farthest_point_equals_dense(seed: int, n_ref: int) -> None:
    x, scores, cand = _pool(seed, 60 + 13 * seed, 2 + 3 * seed)
    ref = torch.arange(n_ref)
    cand[ref] = False
    k = 4 + 2 * seed
    dense = diversity_indices(x, scores, k, cand, ref)
    # dense_pairs=1: the O(m) greedy, and the reference distances one row at a time
    chunked = diversity_indices(x, scores, k, cand, ref, dense_pairs=1)
    assert chunked.tolist() == dense.tolist()
    assert len(set(dense.tolist())) == k and bool(cand[dense].all())


def test_min_sq_dist_blocks_equal_one_block() -> None:
    x, _, _ = _pool(1, 50, 5)
    f, ref = x[:30], x[30:]
    sq = (f * f).sum(dim=1)
    full = selection._min_sq_dist(f, sq, ref, block=100)
    exact = torch.cdist(f.double(), ref.double()).pow(2).min(dim=1).values
    torch.testing.assert_close(full.double(), exact, rtol=1e-4, atol=1e-4)
    for block in (1, 7):  # equal up to the GEMMs' rounding
        torch.testing.assert_close(selection._min_sq_dist(f, sq, ref, block), full)


def test_farthest_point_memory_is_linear_in_the_pool() -> None:
    # m = 20,000 members: a dense (m, m) float32 distance matrix alone would take 1.6 GB
    code = (
        "import resource, torch; torch.set_num_threads(1);"
        "from ednag_opt.strategy.selection import diversity_indices;"
        "g = torch.Generator().manual_seed(0); x = torch.randn(20000, 3, generator=g);"
        "s = torch.randn(20000, generator=g); c = torch.ones(20000, dtype=torch.bool);"
        "c[:500] = False; base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        "p = diversity_indices(x, s, 20, c, torch.arange(500), fit_share=1.0);"
        "assert len(set(p.tolist())) == 20;"
        "print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) // 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)  # fmt: skip
    assert out.returncode == 0, out.stderr[-500:]
    assert int(out.stdout.split()[-1]) < 100  # MB above the imports


def _reference_log_weights(x: torch.Tensor, log_g: torch.Tensor, alpha: float) -> torch.Tensor:
    """The out-of-place expression the in-place kernel must reproduce bit for bit."""
    flat, sq, a, scale = guidance._kernel_inputs(x, alpha)
    cross = flat @ flat.T
    dist_part = (a * sq.unsqueeze(0) - 2.0 * a**0.5 * cross) / scale
    logits = log_g.to(dist_part.dtype).unsqueeze(0) - dist_part
    return torch.log_softmax(logits.to(torch.float64), dim=1)


@pytest.mark.parametrize("block", [guidance.SOFTMAX_BLOCK, 560])
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("alpha", [1e-4, 0.3, 0.97, 0.99995])
def test_fast_x0_is_bitwise_the_reference(
    dtype: torch.dtype, alpha: float, block: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(guidance, "SOFTMAX_BLOCK", block)  # 560: 8 rows, the last 6
    g = torch.Generator().manual_seed(3)
    x = (torch.rand(70, 40, generator=g, dtype=dtype) * 2 - 1).reshape(70, 8, 5)
    log_g = torch.randn(70, generator=g, dtype=dtype)
    log_g[5] = -torch.inf
    lw = kernel_log_weights(x, log_g, alpha)
    assert torch.equal(lw, _reference_log_weights(x, log_g, alpha))
    if alpha > 0.999:  # late: most log-weights underflow exp (the slow path the fast one skips)
        assert float((lw < -745.2).double().mean()) > 0.3
    ref = (lw.exp().to(dtype) @ x.reshape(70, -1)).reshape(x.shape)
    assert torch.equal(estimate_x0(x, log_g, alpha), ref)
    fused = estimate_x0(x, log_g, alpha, fused=True)
    torch.testing.assert_close(fused, ref, rtol=1e-4, atol=1e-5)


def test_fused_softmax_blocks_change_no_bit(monkeypatch: pytest.MonkeyPatch) -> None:
    g = torch.Generator().manual_seed(4)
    x, log_g = torch.randn(90, 12, generator=g), torch.randn(90, generator=g)
    whole = [estimate_x0(x, log_g, 0.6, fused=True), estimate_x0(x, log_g, 0.6, chunk=40)]
    monkeypatch.setattr(guidance, "SOFTMAX_BLOCK", 1000)  # blocks of 11 rows, the last 2
    assert torch.equal(estimate_x0(x, log_g, 0.6, fused=True), whole[0])
    assert torch.equal(estimate_x0(x, log_g, 0.6, chunk=40), whole[1])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_exp_floor_rounds_to_zero(dtype: torch.dtype) -> None:
    lw = torch.tensor([-2000.0, -746.0, -720.0, -120.0, -104.5, -103.9, -90.0, -1.0, 0.0],
                      dtype=torch.float64)  # fmt: skip
    out = torch.empty(lw.shape, dtype=dtype)
    guidance._exp_into(lw.clone(), out)
    assert torch.equal(out, lw.exp().to(dtype))


@pytest.mark.parametrize("mode", ["diag", "full"])
def test_frame_maps_in_place_are_bitwise_the_reference(mode: str) -> None:
    from ednag_opt.strategy.adaptation import from_frame, init_frame, to_frame, update_frame

    g = torch.Generator().manual_seed(5)
    frame = init_frame(6, 20, mode, 0.7, mean=torch.randn(6, generator=g, dtype=torch.float64))
    for _ in range(3):  # a non-trivial basis
        u = torch.randn(20, 6, generator=g, dtype=torch.float64)
        update_frame(frame, u, torch.randn(20, generator=g), 0.4)
    u = torch.randn(20, 2, 3, generator=g)
    z = to_frame(frame, u)
    diff = (u.reshape(20, -1).double() - frame.mean) / frame.sigma
    b, ib = frame.basis, frame.inv_basis
    assert torch.equal(z, diff * ib if mode == "diag" else diff @ ib.T)
    z_in = z.clone()
    back = from_frame(frame, z, u)
    assert torch.equal(z, z_in)  # the caller's z is left alone
    ref = frame.mean + frame.sigma * (z * b if mode == "diag" else z @ b.T)
    assert back.dtype == u.dtype and torch.equal(back, ref.float().reshape(u.shape))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_fold_in_place_is_bitwise_the_reference(dtype: torch.dtype) -> None:
    from ednag_opt.strategy.bounds import fold

    g = torch.Generator().manual_seed(6)
    edges = [1.0, -1.0, 3.0, -3.0, 5.0, 2.0, -0.0, 1e-30, 7.5, -1e6, torch.inf, torch.nan,
             -5.0, 4.0, -4.0, -1e-9 - 1.0, 1e20, -1e30, 3e38, -3e38]  # fmt: skip
    z = torch.cat([torch.randn(500, generator=g, dtype=dtype) * 4,
                   torch.randn(500, generator=g, dtype=dtype) * 1e7,
                   torch.tensor(edges, dtype=dtype)])  # fmt: skip
    # and each value's float neighbours (r = z + 1 next to multiples of 2 and 4)
    z = torch.cat([z, torch.nextafter(z, z.new_tensor(1e300)),
                   torch.nextafter(z, z.new_tensor(-1e300))])  # fmt: skip
    r = torch.remainder(z + 1.0, 4.0)
    ref = torch.where(z.abs() <= 1.0, z, torch.where(r > 2.0, 4.0 - r, r) - 1.0)
    out = fold(z)
    assert torch.equal(out.nan_to_num(9.0), ref.nan_to_num(9.0)) and out is not z
    num = ~ref.isnan()  # IEEE leaves the sign of a NaN unspecified; every number's is kept
    assert torch.equal(out.isnan(), ref.isnan())
    assert torch.equal(out[num].signbit(), ref[num].signbit())


def test_a_collapsing_frame_stays_finite():
    """Griewank drives the frame's sigma towards 0; steps below the float64 resolution of
    the mean must not turn the covariance update into 0/0 (NaN offspring)."""
    from ednag_opt.strategy import EvolutionaryDDIM
    from ednag_opt.strategy.blackbox import blackbox_config

    def griewank(x):
        i = torch.arange(1, x.shape[1] + 1, dtype=x.dtype)
        return 1 + (x**2).sum(1) / 4000 - torch.prod(torch.cos(x / torch.sqrt(i)), 1)

    cfg = blackbox_config(10).replace(popsize=20, num_steps=800)
    es = EvolutionaryDDIM((10,), config=cfg, seed=0, bounds=(-600.0, 600.0))
    for _ in range(800):
        x = es.ask()
        assert torch.isfinite(x).all()
        es.tell(griewank(x.double()).to(x.dtype))
    frame = es.state.frame
    assert frame.sigma > 0 and torch.isfinite(frame.cov).all()
