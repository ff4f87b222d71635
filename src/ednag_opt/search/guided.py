"""Model-guided denoising: the diffusion's next step, steered by a cheap model of the queries.

Each generation after the first, every particle draws ``candidates`` samples from its DDIM
transition (the step ``ask`` took, with fresh noise: ``mean + sigma * z``) and, unless the
diffusion is switched off, as many repair moves (a tournament parent mutated in one row).
A cheap model fitted on every architecture queried so far (:class:`RidgeGuide`: ridge
regression of the fitness rank on the one-hot encoding, refitted each generation in
milliseconds) scores them, and the particle takes its best-scoring candidate that is new
(never queried, not taken by an earlier particle of the batch). This is guidance by
selection: of the diffusion's (and the repair's) proposals, the one the model prefers.

```
x_t --DDIM step x K noise draws--+
                                 +--> RidgeGuide.predict --> best new candidate per particle
parent tournament + mutation x K-+        ^ fitted on all queries so far
```
Each query keeps the label of the proposal it came from (``"diffusion"`` or ``"repair"``),
so the share carried by the diffusion is reported.

With ``renoise=k`` (the default's on small budgets since session 16) each particle also
gets ``k`` draws of the diffusion's forward process from its denoised estimate:
``sqrt(a) * x0_hat + sqrt(1 - a) * z`` with a noise level ``a ~ U(0, 1)`` per draw
(:func:`renoised_draws`). Near ``a = 1`` they are the estimate's own argmax, a
recombination of the population; near ``a = 0`` they are fresh noise, a random
architecture. So the model can also choose among the diffusion's proposals at every
scale, not only at the current step's. They keep the label ``"renoise"``.

With ``decoded=True`` (``search(..., estimate="decoded")``, an option since session 17,
not the default) the estimate both kinds of draws start from is taken over architectures:
the population is decoded and re-encoded as one-hot rows before the kernel weights and the
weighted average (:func:`denoised_estimate` with a ``space``), so ``x0_hat`` is, per row, a
fitness-weighted mixture of the population's choices rather than an average of raw latents.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import torch
from sklearn.linear_model import Ridge

from ..spaces import SearchSpace
from ..strategy import EvolutionaryDDIM
from ..strategy.ddim import ddim_sigma, ddim_step
from ..strategy.guidance import estimate_x0
from ..strategy.mutation import mutate_rows
from .tracker import Tracker

__all__ = [
    "RidgeGuide",
    "balanced_start",
    "denoised_estimate",
    "guided_offspring",
    "renoised_draws",
    "step_distribution",
]


class RidgeGuide:
    """Ridge regression of the fitness rank on the one-hot encoding (scikit-learn style).

    Args:
        space: the search space (its ``encode`` gives the features).
        alpha: ridge penalty (3.0: chosen on NAS-Bench-201 tuning seeds 100-119).
        min_samples: finite values needed before :meth:`fit` produces a model; with fewer
            the guide is unfitted and :meth:`predict` returns zeros (no preference).
    """

    def __init__(self, space: SearchSpace, alpha: float = 3.0, min_samples: int = 5) -> None:
        if not (isinstance(alpha, int | float) and math.isfinite(alpha) and alpha > 0):
            raise ValueError(f"alpha must be a finite number > 0, got {alpha!r}")
        self.space, self.alpha, self.min_samples = space, float(alpha), int(min_samples)
        self.model: Ridge | None = None
        self._x: list[np.ndarray] = []
        self._y: list[np.ndarray] = []
        self.seen = 0  # queries of a tracker already observed (see guided_offspring)

    def features(self, archs: list[Any], validate: bool = True) -> np.ndarray:
        """Flattened one-hot encoding, ``(len(archs), D1 * D2)``."""
        x = self.space.encode(archs, validate=validate)
        return x.reshape(len(archs), -1).numpy()

    def fit(self, archs: list[Any], values: Any, maximize: bool = True) -> RidgeGuide:
        """Fit on ``values`` (non-finite ones are dropped) ranked in the search direction."""
        self._x, self._y = [], []
        return self.observe(archs, values, maximize)

    def observe(self, archs: list[Any], values: Any, maximize: bool = True) -> RidgeGuide:
        """Add queries to those seen so far (only the new ones are encoded) and refit."""
        y = np.asarray(values, dtype=np.float64).reshape(-1)
        keep = np.isfinite(y)
        if keep.any():
            self._x.append(self.features([a for a, k in zip(archs, keep) if k]))
            self._y.append(y[keep] if maximize else -y[keep])
        n = self.n_observed
        if n < self.min_samples:
            self.model = None
            return self
        y = np.concatenate(self._y)
        rank = np.argsort(np.argsort(y, kind="stable"), kind="stable") / max(n - 1, 1)
        self.model = Ridge(alpha=self.alpha).fit(np.concatenate(self._x), rank)
        return self

    @property
    def n_observed(self) -> int:
        """Finite values the guide has been fitted on."""
        return sum(len(v) for v in self._y)

    def predict(self, archs: list[Any], validate: bool = True) -> np.ndarray:
        """Predicted rank score (higher is better); zeros while unfitted."""
        if self.model is None:
            return np.zeros(len(archs))
        return self.model.predict(self.features(archs, validate))


def balanced_start(x: torch.Tensor, mask: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """The first generation as a balanced design: each row's choices spread evenly.

    Within each row of each latent, the entry at the argmax is swapped with the entry of
    the choice the design assigns (a transposition: every latent keeps its values, so it
    is still a draw of the same isotropic Gaussian). The design gives every allowed choice
    of a row to ``floor(N / c)`` or ``ceil(N / c)`` of the N particles (which choices get
    one more, and which particles get which choice, drawn independently per row), so that
    the guide's first fit sees every choice of every row (i.i.d. draws of N = 10 leave a
    choice of a 4-way row unseen with probability (3/4)^10 = 6%, some choice of it
    unseen with probability 22%).

    Args:
        x: the first ``ask`` (N, D1, D2).
        mask: (D1, D2) bool, allowed choices per row.
        generator: CPU generator of the design.

    Returns:
        The latents with the design's argmax in every row (a new tensor).
    """
    n = x.shape[0]
    out = x.clone()
    m = mask.to(x.device)
    cur = out.masked_fill(~m, -torch.inf).argmax(dim=2).cpu()
    every = torch.arange(n)
    for j in range(x.shape[1]):
        valid = m[j].cpu().nonzero().flatten()
        c = valid.numel()
        if c < 2:
            continue
        reps = valid[torch.randperm(c, generator=generator)].repeat(-(-n // c))[:n]
        want = reps[torch.randperm(n, generator=generator)]
        a, b = out[every, j, cur[:, j]].clone(), out[every, j, want].clone()
        out[every, j, want], out[every, j, cur[:, j]] = a, b
    return out


def step_distribution(
    es: EvolutionaryDDIM, space: SearchSpace | None = None
) -> tuple[torch.Tensor, float]:
    """Mean and standard deviation of the DDIM transition from ``es``'s current population
    (without ``space``: the distribution its last ``ask`` drew from, ``mean + sigma * z``;
    with it, the transition towards the estimate over decoded architectures, see
    :func:`denoised_estimate`); latent coordinates, no frame, after the first generation."""
    return _transition(es, denoised_estimate(es, space))


def _transition(es: EvolutionaryDDIM, x0: torch.Tensor) -> tuple[torch.Tensor, float]:
    """:func:`step_distribution` given the population's x0 estimate."""
    a_t, a_prev = es._alpha_pair()
    mean = ddim_step(es.state.latent, x0, a_t, a_prev, es.sigma, torch.zeros_like(x0))
    return mean, ddim_sigma(a_t, a_prev, es.sigma)


def denoised_estimate(es: EvolutionaryDDIM, space: SearchSpace | None = None) -> torch.Tensor:
    """The x0 estimate of ``es``'s current population: the kernel-weighted average its next
    step denoises towards; latent coordinates, after the first generation.

    With ``space`` the population is first decoded and re-encoded as one-hot rows, so the
    kernel ``N(x_j; sqrt(a) x_i, 1 - a)`` compares architectures and the average is, per
    row, a fitness-weighted mixture of the population's choices (``estimate="decoded"``,
    an option of the guided search). Without it: the strategy's own estimate over its
    latents, the one the guided default uses.
    """
    st = es.state
    if st.latent is None or st.frame is not None:
        raise ValueError("the x0 estimate needs a told population and no adapted frame")
    a_t, _ = es._alpha_pair()
    points = st.latent
    if space is not None:
        points = space.encode(space.decode(st.latent), validate=False).to(st.latent)
    return estimate_x0(points, es.log_density(es._scores(st.fitness, st.violation)), a_t)


def renoised_draws(x0: torch.Tensor, k: int, generator: torch.Generator) -> torch.Tensor:
    """``k`` draws of the forward process from ``x0`` at random noise levels.

    Draw ``j`` is ``sqrt(a_j) * x0 + sqrt(1 - a_j) * z_j`` with ``a_j ~ U(0, 1)`` shared by
    the particles and ``z_j`` standard normal per particle (the marginal ``q(x_s | x0)``
    of the diffusion at a level ``a_j = alpha_bar_s`` drawn uniformly).

    Args:
        x0: denoised estimates (N, D1, D2).
        k: draws per particle (>= 0).
        generator: CPU generator of the noise and the levels.

    Returns:
        (k, N, D1, D2) latents, on ``x0``'s device.
    """
    z = torch.randn((k, *x0.shape), generator=generator, dtype=x0.dtype).to(x0.device)
    level = torch.rand((k, 1, 1, 1), generator=generator, dtype=x0.dtype).to(x0.device)
    return level.sqrt() * x0.unsqueeze(0) + (1 - level).sqrt() * z


def guided_offspring(
    space: SearchSpace,
    tracker: Tracker,
    es: EvolutionaryDDIM,
    x: torch.Tensor,
    guide: RidgeGuide,
    generator: torch.Generator,
    candidates: int,
    diffusion: bool = True,
    parents: Any = None,
    renoise: int = 0,
    decoded: bool = False,
) -> tuple[torch.Tensor, list[Any], list[str]]:
    """Each particle's best new candidate under ``guide`` (see the module docstring).

    Args:
        space, tracker, es: the search's space, tracker and strategy (``x`` = its ask).
        x: the asked population (N, D1, D2); its sample is the first diffusion candidate.
        guide: refitted here on every query of the search so far (``guide.seen``: how
            many of ``tracker.queries`` it has observed).
        generator: draws the extra noise and the repair moves.
        candidates: proposals of each kind per particle (>= 1).
        diffusion: ``False``: repair proposals only (the ablation).
        parents: ``parents(x, positions) -> latents`` of tournament parents.
        renoise: with ``diffusion``, this many :func:`renoised_draws` per particle too.
        decoded: the draws start from the estimate over decoded architectures
            (:func:`denoised_estimate` with ``space``) instead of the latents' one.

    Returns:
        Latents, architectures and the origin label of each particle. A particle whose
        candidates are all known keeps the diffusion's sample (without diffusion: its first
        repair move); the caller repairs it.
    """
    n = x.shape[0]
    pools = []
    fresh = tracker.queries[guide.seen:]  # the tracker's list only grows: add the new tail
    guide.seen = len(tracker.queries)
    guide.observe([a for a, _ in fresh], [v for _, v in fresh], tracker.maximize)
    x0 = denoised_estimate(es, space if decoded else None) if diffusion else None
    if diffusion:
        mean, sigma = _transition(es, x0)
        noise = torch.randn((candidates - 1, *x.shape), generator=generator, dtype=x.dtype)
        pools.append(torch.cat([x.unsqueeze(0), mean.to(x) + sigma * noise.to(x.device)]))
    every = list(range(n))
    pools.append(torch.stack([mutate_rows(parents(x, every), space.mask, generator)
                              for _ in range(candidates)]))  # fmt: skip
    if diffusion and renoise:
        pools.append(renoised_draws(x0, renoise, generator).to(x))
    cand = torch.cat(pools)  # (K, N, D1, D2): diffusion draws, repair moves, renoised draws
    k_diff = candidates if diffusion else 0
    flat = cand.reshape(-1, *x.shape[1:])
    archs = space.decode(flat)
    score = guide.predict(archs, validate=False).reshape(cand.shape[0], n)
    base, label = (x, "diffusion") if diffusion else (cand[0], "repair")  # nothing new: base
    out, chosen, origin, taken = base.clone(), space.decode(base), [label] * n, set()
    for i in range(n):
        for k in np.argsort(-score[:, i], kind="stable"):
            a = archs[k * n + i]
            key = tracker.key(a)
            if key in taken or tracker.seen(a):
                continue
            out[i], chosen[i], taken = flat[k * n + i], a, taken | {key}
            origin[i] = "diffusion" if k < k_diff else "repair" if k < 2 * candidates \
                else "renoise"
            break
    return out, chosen, origin
