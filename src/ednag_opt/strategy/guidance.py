"""Fitness maps g and the log-space kernel estimator of x0 (pure functions).

Every map works on *scores* ``s`` where higher is better (the strategy negates the
fitness of minimisation problems first) and returns ``log g(s)``. Non-finite scores
(NaN, +-inf) are the worst possible: their log-density is ``-inf``, so they get zero
weight in the x0 estimate and in roulette selection, and are never elites. When a whole
population is non-finite every member gets the same weight.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import torch

from .screening import screen_useful, screened_x0, squared_norms

__all__ = [
    "FITNESS_MAPS",
    "energy_map",
    "estimate_x0",
    "get_fitness_map",
    "identity_map",
    "kernel_log_weights",
    "power_map",
    "rank_map",
]

FitnessMap = Callable[[torch.Tensor], torch.Tensor]


def _finalise(logg: torch.Tensor, finite: torch.Tensor) -> torch.Tensor:
    logg = torch.where(finite, logg, torch.full_like(logg, -torch.inf))
    if not finite.any():
        return torch.zeros_like(logg)
    return logg


def energy_map(scores: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Boltzmann density ``g = exp(s / T)``, shifted by max(s) (scale-dependent)."""
    finite = torch.isfinite(scores)
    s = torch.where(finite, scores, torch.zeros_like(scores))
    top = s[finite].max() if finite.any() else s.new_tensor(0.0)
    return _finalise((s - top) / temperature, finite)


def identity_map(scores: torch.Tensor) -> torch.Tensor:
    """``g = s``: the score already is a density (e.g. an accuracy); needs ``s >= 0``."""
    return power_map(scores, 1.0)


def power_map(scores: torch.Tensor, power: float = 2.0) -> torch.Tensor:
    """``g = s ** power`` for non-negative scores (an accuracy in [0, 100], say)."""
    finite = torch.isfinite(scores)
    if (scores[finite] < 0).any():
        raise ValueError(
            "identity/power fitness maps need non-negative scores (maximised densities); "
            "use fitness_map='rank' or 'energy' for losses or signed objectives"
        )
    s = torch.where(finite, scores, torch.ones_like(scores))
    return _finalise(power * torch.log(s), finite)


def rank_map(scores: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """Scale-free density from ranks: ``g = exp(u / T)``, ``u`` in [0, 1], 1 for the best.

    Ties share their mean rank. Invariant to any strictly increasing transform of the
    fitness, so accuracies in [0, 100] and losses of any magnitude behave alike.
    """
    finite = torch.isfinite(scores)
    n = int(finite.sum())
    if n <= 1:
        return _finalise(torch.zeros_like(scores), finite)
    s = scores[finite]
    order = torch.argsort(s, stable=True)
    ranks = torch.empty_like(s)
    ranks[order] = torch.arange(n, dtype=s.dtype, device=s.device)
    ordered = s[order]
    if bool((ordered[1:] == ordered[:-1]).any()):  # average ranks of ties
        uniq, inverse = torch.unique(s, return_inverse=True)
        sums = torch.zeros_like(uniq).index_add_(0, inverse, ranks)
        counts = torch.zeros_like(uniq).index_add_(0, inverse, torch.ones_like(ranks))
        ranks = (sums / counts)[inverse]
    u = torch.zeros_like(scores)
    u[finite] = ranks / (n - 1)
    return _finalise((u - 1.0) / temperature, finite)


FITNESS_MAPS: dict[str, Callable[..., torch.Tensor]] = {
    "rank": rank_map,
    "energy": energy_map,
    "identity": identity_map,
    "power": power_map,
}


def get_fitness_map(
    name: str | FitnessMap, temperature: float | None = None, power: float = 2.0
) -> FitnessMap:
    """Resolve a fitness-map name (or a callable returning log g) to a function."""
    if callable(name):
        return name
    if name not in FITNESS_MAPS:
        raise ValueError(f"unknown fitness_map {name!r}; choose one of {sorted(FITNESS_MAPS)}")
    if temperature is not None and temperature <= 0:
        raise ValueError(f"temperature must be > 0, got {temperature}")
    if name == "rank":
        return partial(rank_map, temperature=0.1 if temperature is None else temperature)
    if name == "energy":
        return partial(energy_map, temperature=1.0 if temperature is None else temperature)
    if name == "power":
        return partial(power_map, power=power)
    return identity_map


#: populations larger than this are estimated in row blocks (O(N * block) kernel memory)
CHUNK_ELEMENTS = 1 << 22
#: elements per block of the softmax (256 KB of float64: cache-sized, and small enough that
#: the allocator reuses blocks instead of mapping fresh pages each generation)
SOFTMAX_BLOCK = 1 << 15


def _kernel_inputs(
    x: torch.Tensor, alpha: float
) -> tuple[torch.Tensor, torch.Tensor, float, float]:
    """Flattened population, squared norms (float64 when the GEMM would lose precision)."""
    flat = x.reshape(x.shape[0], -1)
    a = float(alpha)
    scale = 2.0 * (1.0 - a)
    sq = (flat * flat).sum(dim=1)  # ||x_i||²
    if flat.dtype != torch.float64:
        rounding = torch.finfo(flat.dtype).eps * flat.shape[1] ** 0.5 * float(sq.max())
        if not rounding / scale < 1e-3:
            flat, sq = flat.to(torch.float64), sq.to(torch.float64)
    return flat, sq, a, scale


def _row_logits(
    flat: torch.Tensor, sq: torch.Tensor, log_g: torch.Tensor, a: float, scale: float,
    rows: slice,
) -> torch.Tensor:
    """Logits of the targets ``rows`` (a block of the (N, N) matrix), in the GEMM's dtype.

    ``log_g[i] - (a ||x_i||² - 2 sqrt(a) x_j · x_i) / scale``, formed in place in the
    GEMM's output: the same IEEE operations as the out-of-place expression, without four
    (N, N) temporaries.
    """
    cross = flat[rows] @ flat.T  # [j, i] = x_j · x_i
    dist_part = torch.sub(a * sq.unsqueeze(0), cross.mul_(2.0 * a**0.5), out=cross).div_(scale)
    return torch.sub(log_g.to(dist_part.dtype).unsqueeze(0), dist_part, out=dist_part)


def kernel_log_weights(x: torch.Tensor, log_g: torch.Tensor, alpha: float) -> torch.Tensor:
    """Normalised log-weights ``log w[j, i]`` of source ``x_i`` for target ``x_j``.

    ``w[j, i] ∝ g(f_i) · N(x_j; sqrt(alpha) x_i, (1 - alpha) I)``, softmax over ``i``.
    Computed from one GEMM; the ``||x_j||²`` term is constant over ``i`` and dropped, so
    nothing under- or overflows whatever the dimension. The GEMM runs in the population's
    dtype while its rounding error on the logits is below 1e-3, else in float64 (late in
    a run, ``1 - alpha`` is tiny and the expansion of the square cancels).

    Args:
        x: population (N, ...), flattened internally to (N, D).
        log_g: (N,) log-densities, ``-inf`` for excluded members.
        alpha: signal level alpha_t in (0, 1).
    """
    flat, sq, a, scale = _kernel_inputs(x, alpha)
    logits = _row_logits(flat, sq, log_g, a, scale, slice(None))
    return torch.log_softmax(logits.to(torch.float64), dim=1)


def _row_weights_fused(
    flat: torch.Tensor, sq: torch.Tensor, log_g: torch.Tensor, a: float, scale: float,
    rows: slice,
) -> torch.Tensor:
    """Weights (softmax) of the targets ``rows`` in the GEMM's dtype, from in-place ops
    (the softmax too, through cache-sized blocks of rows)."""
    logits = flat[rows] @ flat.T
    bias = log_g.to(flat.dtype) - (a / scale) * sq
    logits.mul_(2.0 * a**0.5 / scale).add_(bias)
    step = max(1, SOFTMAX_BLOCK // logits.shape[1])
    for start in range(0, logits.shape[0], step):
        block = logits[start : start + step]
        block.copy_(torch.softmax(block, dim=1))
    return logits


def _exp_into(log_w: torch.Tensor, out: torch.Tensor) -> None:
    """``out[:] = log_w.exp()`` (converted to ``out.dtype``) bit for bit, without exp's
    slow path; ``log_w`` (float64) is overwritten.

    Late in a run most log-weights lie far below -745, where ``exp`` underflows through a
    slow scalar path (5-15x the cost of the whole array). For a float32 ``out``, whatever
    rounds to 0 there anyway is first raised to a floor whose exp still rounds to 0:
    ``exp(floor)`` is below half the smallest float32 subnormal. For float64 nothing can
    be clamped without changing the subnormal weights, so none is.
    """
    if out.dtype != torch.float64:
        info = torch.finfo(out.dtype)
        log_w.clamp_min_(math.log(info.smallest_normal * info.eps) - 1.0)
    out.copy_(log_w.exp_())


def _exact_weights(
    flat: torch.Tensor, sq: torch.Tensor, log_g: torch.Tensor, a: float, scale: float,
    dtype: torch.dtype,
) -> torch.Tensor:
    """``kernel_log_weights(...).exp().to(dtype)``, bit for bit, in O(N²) of ``dtype`` only.

    The logits come from one GEMM (as in :func:`kernel_log_weights`); the float64
    log-softmax and exp then run on blocks of rows (each row is normalised on its own, so
    blocks change no bit), written back over the logits when the dtypes agree.
    """
    logits = _row_logits(flat, sq, log_g, a, scale, slice(None))
    n = logits.shape[0]
    out = logits if logits.dtype == dtype else torch.empty_like(logits, dtype=dtype)
    step = max(1, SOFTMAX_BLOCK // n)
    for start in range(0, n, step):
        rows = slice(start, start + step)
        lw = torch.log_softmax(logits[rows].to(torch.float64), dim=1)
        _exp_into(lw, out[rows])
    return out


def estimate_x0(
    x: torch.Tensor,
    log_g: torch.Tensor,
    alpha: float,
    chunk: int | None = None,
    fused: bool = False,
) -> torch.Tensor:
    """Kernel-weighted estimate ``x0_hat[j] = sum_i w[j, i] x_i`` (same shape and dtype as x).

    Args:
        x: population (N, ...).
        log_g: (N,) log-densities.
        alpha: signal level alpha_t.
        chunk: targets per block; default: all at once while ``N² <= CHUNK_ELEMENTS``
            (4M weights), else blocks of ``CHUNK_ELEMENTS // N`` rows, so the kernel's
            memory is O(N · block) rather than O(N²).
        fused: logits and softmax in place in the GEMM's dtype (about 3x less memory
            traffic; equal to rounding, not bitwise, to the default float64 softmax, which
            the default configuration keeps for reproducibility). Blocks always fuse.

    Large float32 CPU populations estimated in one block (``D >= 64`` and
    ``N² D >= SCREEN_MIN_WORK``) first try :mod:`.screening`: a float32 screen, then
    float64 logits for the few sources that carry weight; the same estimate to float32
    rounding when the kernel is narrow (after the first steps at large D), else the dense
    path after all. (In the row blocks of larger populations the screen's elementwise
    passes cost what it saves: they stay dense.)
    """
    n = x.shape[0]
    if chunk is None:
        chunk = n if n * n <= CHUNK_ELEMENTS else max(1, CHUNK_ELEMENTS // n)
    src = x.reshape(n, -1)
    if chunk >= n and screen_useful(n, n, src.shape[1], src):
        a = float(alpha)
        est = screened_x0(src, squared_norms(src), log_g, a, 2.0 * (1.0 - a), slice(None))
        if est is not None:
            return est.reshape(x.shape)
    flat, sq, a, scale = _kernel_inputs(x, alpha)
    if chunk >= n and not fused:
        w = _exact_weights(flat, sq, log_g, a, scale, x.dtype)
        return (w @ src).reshape(x.shape)
    out = torch.empty_like(src)
    for start in range(0, n, chunk):
        rows = slice(start, min(n, start + chunk))
        w = _row_weights_fused(flat, sq, log_g, a, scale, rows).to(x.dtype)
        torch.matmul(w, src, out=out[rows])
    return out.reshape(x.shape)
