"""Gaussian runs in an adapted frame, updated as CMA-ES does, for :func:`.blackbox.minimize`.

``minimize(large="gauss")`` gives IPOP's doubled (large-population) runs to
:func:`gauss_run`: each generation samples ``mean + sigma B N(0, I)`` afresh from a
:class:`~.adaptation.Frame` and :class:`CMAUpdate` moves, rescales and reshapes it from the
ranked samples with CMA-ES's defaults (Hansen 2016, "The CMA Evolution Strategy: A
Tutorial"): weighted recombination of the best half, cumulative step-size adaptation,
rank-one and active rank-mu covariance updates. The diffusion's runs keep the frame's own
update (:func:`.adaptation.update_frame`), whose success rule needs no assumption on how
the offspring were drawn; these samples are Gaussian, so CMA-ES's path-length rule applies.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from .adaptation import Frame, _decompose, frame_scale, from_frame, init_frame

if TYPE_CHECKING:
    from .blackbox import MinimizeResult

__all__ = ["CMAUpdate", "gauss_run", "stagnated"]


def gauss_run(fun: Callable[[torch.Tensor], Any], start: torch.Tensor, pop: int,
              scale: float, out: MinimizeResult, stop_at: int, target: float, seed: int
              ) -> int:
    """One run that samples ``mean + sigma B N(0, I)`` afresh each generation (non-elitist)
    and adapts the frame as CMA-ES does (:class:`CMAUpdate`). Ends as CMA-ES's runs do:
    the frame's scale below 1e-12, the last ``10 + 30 dim / pop`` generations' values
    spanning less than ``1e-12 (1 + |best|)`` (TolFun), or stagnation
    (:func:`stagnated`); updates ``out`` as ``blackbox._run`` does and returns the run's
    evaluations."""
    dim, begin = start.numel(), out.evaluations
    fr = init_frame(dim, pop, "full", scale, mean=start)
    cma = CMAUpdate(fr, dim, pop)
    gen = torch.Generator().manual_seed(seed)
    window = 10 + int(30 * dim / pop)
    best_run, recent, since = math.inf, [], 0
    hist: tuple[list[float], list[float]] = ([], [])
    while out.evaluations + pop <= stop_at:
        z = torch.randn((pop, dim), generator=gen, dtype=torch.float64)
        x = from_frame(fr, z, z)
        f = torch.as_tensor(np.asarray(fun(x), dtype=np.float64)).reshape(-1)
        out.evaluations += pop
        fin = torch.nan_to_num(f, nan=math.inf)
        i = int(torch.argmin(fin))
        if float(f[i]) < out.fun:
            out.x, out.fun = x[i].numpy().copy(), float(f[i])
        out.trace.append((out.evaluations, out.fun))
        since = 0 if float(fin[i]) < best_run else since + 1
        best_run = min(best_run, float(fin[i]))
        if fr.updates % 5 == 4:
            hist[0].append(float(fin[i]))
            hist[1].append(float(fin.median()))
        recent = (recent + [float(fin[i])])[-window:]
        cma.update(fr, z, x, fin)
        flat = len(recent) == window and max(recent + fin[torch.isfinite(fin)].tolist()) \
            - min(recent) < 1e-12 * (1.0 + abs(best_run))  # fmt: skip
        if out.fun <= target or frame_scale(fr) < 1e-12 or flat \
                or stagnated(hist, dim, pop, since):  # fmt: skip
            break
    return out.evaluations - begin


class CMAUpdate:
    """CMA-ES's update of a frame from ``pop`` ranked Gaussian samples (Hansen 2016's
    defaults): the mean to the weighted mean of the best half, cumulative step-size
    adaptation, rank-one and active rank-mu covariance updates (the worse half with
    negative weights, each scaled by ``dim / |z|²``) at CMA-ES's learning rates."""

    def __init__(self, fr: Frame, dim: int, pop: int) -> None:
        k = fr.constants
        self.mueff, self.cc, self.c1, self.cmu = k["mueff"], k["cc"], k["c1"], k["cmu"]
        raw = math.log((pop + 1) / 2.0) - torch.log(torch.arange(1, pop + 1, dtype=torch.float64))
        pos, neg = raw.clamp_min(0.0), raw.clamp_max(0.0)
        mueff_neg = float(neg.sum() ** 2 / max(float((neg * neg).sum()), 1e-300))
        alpha = min(1.0 + self.c1 / self.cmu, 1.0 + 2.0 * mueff_neg / (self.mueff + 2.0),
                    (1.0 - self.c1 - self.cmu) / (dim * self.cmu))  # fmt: skip
        self.w = pos / pos.sum() + neg * (alpha / max(float(-neg.sum()), 1e-300))
        self.cs = (self.mueff + 2.0) / (dim + self.mueff + 5.0)
        self.ds = 1.0 + 2.0 * max(0.0, math.sqrt((self.mueff - 1.0) / (dim + 1.0)) - 1.0) \
            + self.cs  # fmt: skip
        self.chi = math.sqrt(dim) * (1.0 - 1.0 / (4.0 * dim) + 1.0 / (21.0 * dim * dim))
        self.eigen_every = max(1, int(k["eigen_every"]))
        self.p_s = torch.zeros(dim, dtype=torch.float64)
        self.dim = dim

    def update(self, fr: Frame, z: torch.Tensor, x: torch.Tensor, f: torch.Tensor) -> None:
        """``z``: the (pop, dim) normal draws, ``x = mean + sigma B z``, ``f`` their values."""
        order = torch.argsort(f, stable=True)
        z, y = z[order], (x[order] - fr.mean) / fr.sigma
        w_pos = self.w.clamp_min(0.0)
        y_w = w_pos @ y
        fr.mean = fr.mean + fr.sigma * y_w
        fr.updates += 1
        cs, cc, c1, cmu = self.cs, self.cc, self.c1, self.cmu
        self.p_s = (1 - cs) * self.p_s + math.sqrt(cs * (2 - cs) * self.mueff) * (w_pos @ z)
        norm_s = float(self.p_s.norm())
        hsig = norm_s / math.sqrt(1 - (1 - cs) ** (2 * fr.updates)) \
            < (1.4 + 2 / (self.dim + 1)) * self.chi  # fmt: skip
        fr.path_c = (1 - cc) * fr.path_c + hsig * math.sqrt(cc * (2 - cc) * self.mueff) * y_w
        w_c = torch.where(self.w < 0, self.w * self.dim / (z * z).sum(1).clamp_min(1e-300),
                          self.w)  # fmt: skip
        decay = 1 - c1 - cmu * float(self.w.sum()) + (0.0 if hsig else c1 * cc * (2 - cc))
        fr.cov = decay * fr.cov + c1 * torch.outer(fr.path_c, fr.path_c) \
            + cmu * (y * w_c[:, None]).T @ y  # fmt: skip
        fr.sigma *= math.exp(min(1.0, cs / self.ds * (norm_s / self.chi - 1)))
        if fr.updates - fr.eigen_at >= self.eigen_every:
            _decompose(fr)


def stagnated(hist: tuple[list[float], list[float]], dim: int, pop: int, since: int) -> bool:
    """CMA-ES's stagnation test (pycma's ``tolstagnation``, horizon
    ``T = 100 + 100 dim^1.5 / pop``): ``hist`` holds the generation bests and medians of
    every fifth generation; the run has stagnated once more than 100 are held, the run's
    best is older than ``T / 2`` generations (``since``), and in both histories the median
    of the newest ``l = max(T / 10, len / 10)`` is no better than that of the ``l`` before."""
    horizon = 100.0 + 100.0 * dim**1.5 / pop
    n = len(hist[0])
    span = int(max(horizon / 10.0, n / 10.0))
    if n <= 100 or 2 * span >= n or since <= horizon / 2:
        return False
    return all(float(np.median(h[-span:])) >= float(np.median(h[-2 * span:-span])) for h in hist)
