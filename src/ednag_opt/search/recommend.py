"""Recommending under noise: the queried architecture with the best smoothed value.

When each query returns a noisy value (one training seed, one short run), the
architecture with the best *observed* value is biased upward: among many near-equal
candidates the winner is often a lucky draw (the winner's curse). :func:`recommend` instead
returns, among the architectures already queried, the one with the best posterior mean
under a Gaussian-process model of the observed values:

* the model is fitted on the better half of the finite observations (at least
  :data:`MIN_FIT`), since the recommendation concerns the top and the poor cells' large
  gaps would otherwise dominate a stationary model's variance;
* ``y = mu + f(x) + eps`` with a constant ``mu``, ``f ~ GP(0, s2 * exp(-theta * h(x, x') /
  R))`` where ``h`` is the number of rows (of ``R``) in which two architectures differ, and
  independent noise ``eps ~ N(0, s2 * lam)``;
* ``mu`` (generalised least squares), ``s2`` (profiled), the length ``theta`` and the noise
  ratio ``lam`` are estimated by maximum marginal likelihood on the observations
  themselves (empirical Bayes): no replicate and no value outside the queries is used.

The posterior mean at a queried architecture shrinks its own value toward what the
similar queried architectures say, by an amount set by the estimated noise; where the
values are smooth and noiseless the estimate ``lam`` is small and the rule returns the best
observed architecture or one level with it. Without replicates, though, the likelihood
cannot tell noise from a rugged landscape: on noiseless but rugged tables (NAS-Bench-201's
seed-mean accuracy, TransNAS-Bench-101) it picks another cell than the best observed in
over a third of the cases, a loss there (docs/results_search.md, "Session 9"). Use it for
noisy evaluations only. Among equal estimates the earlier query wins. The rule is
searcher-agnostic: it reads only ``result.queries``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["MIN_FIT", "RULES", "Recommendation", "recommend", "smoothed_values"]

#: Fewest finite observations the model is fitted on (fewer: best observed is returned).
MIN_FIT = 5
RULES = ("best", "model")
_THETAS = (0.5, 1.0, 2.0, 4.0, 8.0)
_LAMS = np.logspace(-4.0, 2.0, 31)


@dataclass(frozen=True)
class Recommendation:
    """The architecture a rule recommends among the queries.

    Attributes:
        arch: the recommended architecture (one of the queried ones).
        value: its observed value.
        estimate: its smoothed value (the posterior mean; ``value`` for ``rule="best"``).
        query: its 1-based position among the queries.
        rule: ``"best"`` or ``"model"``.
        noise_sd: the estimated noise standard deviation (0.0 for ``"best"`` or when the
            model could not be fitted).
    """

    arch: Any
    value: float
    estimate: float
    query: int
    rule: str
    noise_sd: float = 0.0


def smoothed_values(rows: np.ndarray, values: Sequence[float], *,
                    top: float = 0.5) -> tuple[np.ndarray, float]:  # fmt: skip
    """Posterior means of the better ``top`` share of the observations (see module doc).

    Args:
        rows: integer array ``(n, R)``: each architecture's choice in each of its ``R`` rows.
        values: the ``n`` observed values, larger is better, all finite.
        top: share of the observations (the largest values) the model is fitted on.

    Returns:
        ``(means, noise_sd)``: ``means[i]`` is the posterior mean of observation ``i``
        (``-inf`` outside the fitted share) and ``noise_sd`` the estimated noise standard
        deviation.

    Raises:
        ValueError: mismatched lengths, non-finite values, or ``top`` outside (0, 1].
    """
    rows = np.asarray(rows)
    y = np.asarray(values, dtype=np.float64)
    if rows.ndim != 2 or rows.shape[0] != y.shape[0]:
        raise ValueError(f"rows must be (n, R) with n = len(values); got {rows.shape}, {y.shape}")
    if not np.all(np.isfinite(y)):
        raise ValueError("values must all be finite")
    if not 0.0 < top <= 1.0:
        raise ValueError(f"top must be in (0, 1], got {top!r}")
    means = np.full(y.shape[0], -np.inf)
    keep = np.argsort(-y, kind="stable")[: max(MIN_FIT, math.ceil(top * y.shape[0]))]
    if keep.size < MIN_FIT:
        raise ValueError(f"need at least {MIN_FIT} observations, got {y.shape[0]}")
    yk = y[keep]
    scale = float(np.std(yk)) or 1.0
    z = (yk - yk.mean()) / scale
    r = rows[keep]
    hamming = (r[:, None, :] != r[None, :, :]).mean(axis=2)
    best = None
    for theta in _THETAS:
        fit = _fit(np.exp(-theta * hamming), z)
        if best is None or fit[0] < best[0]:
            best = fit
    _, mean, lam, s2 = best
    means[keep] = yk.mean() + scale * mean
    return means, scale * math.sqrt(s2 * lam)


def _fit(k: np.ndarray, z: np.ndarray) -> tuple[float, np.ndarray, float, float]:
    """Best noise ratio for one kernel: ``(-2 log L + const, posterior mean, lam, s2)``."""
    ev, u = np.linalg.eigh(k)
    ev = np.clip(ev, 0.0, None)
    zt, ot = u.T @ z, u.T @ np.ones_like(z)
    best = None
    for lam in _LAMS:
        d = ev + lam
        mu = float(np.sum(ot * zt / d) / np.sum(ot * ot / d))
        res = zt - mu * ot
        s2 = float(np.sum(res * res / d)) / z.size
        nll = z.size * math.log(max(s2, 1e-300)) + float(np.sum(np.log(d)))
        if best is None or nll < best[0]:
            best = (nll, mu + u @ (ev / d * res), float(lam), s2)
    return best


def recommend(queries: Sequence[tuple[Any, float]], space: Any, *, maximize: bool = True,
              rule: str = "model", top: float = 0.5) -> Recommendation | None:  # fmt: skip
    """The recommended architecture among ``queries`` (see the module doc).

    Args:
        queries: ``(arch, value)`` pairs in query order (e.g. ``result.queries[:budget]``).
        space: the search space (its ``encode`` gives each architecture's row choices);
            not used by ``rule="best"``.
        maximize: direction of the values.
        rule: ``"model"`` (the best posterior mean) or ``"best"`` (the best observed).
        top: share of the observations the model is fitted on.

    Returns:
        A :class:`Recommendation`, or ``None`` when no value is finite. ``"model"`` falls
        back to the best observed below :data:`MIN_FIT` finite values.

    Raises:
        ValueError: an unknown ``rule``, or ``rule="model"`` without a space.
    """
    if rule not in RULES:
        raise ValueError(f"unknown rule {rule!r}; choose from {RULES}")
    sign = 1.0 if maximize else -1.0
    finite = [(i, a, float(v)) for i, (a, v) in enumerate(queries) if math.isfinite(v)]
    if not finite:
        return None
    y = np.array([sign * v for _, _, v in finite])
    if rule == "best" or len(finite) < MIN_FIT:
        j = int(np.argmax(y))
        i, a, v = finite[j]
        return Recommendation(a, v, v, i + 1, rule)
    if space is None or not hasattr(space, "encode"):
        raise ValueError("rule='model' needs the search space (result.space, or space=)")
    onehot = space.encode([a for _, a, _ in finite]).numpy()
    means, noise = smoothed_values(onehot.argmax(axis=2), y, top=top)
    j = int(np.argmax(means))
    i, a, v = finite[j]
    return Recommendation(a, v, sign * float(means[j]), i + 1, rule, noise)
