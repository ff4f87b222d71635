"""The sweep phase of the multi-objective NAS searcher's cost-lookup mode (``sweep=``).

With a cost known for every cell (``cheap=`` with ``twins=``, ``search.ednag_mo``) the
search has three phases: the diffusion queries one network at a time (each as its
cheapest twin), then the sweep, then the twin phase (``search.twins``). The sweep looks at
every network of the (enumerable) space that is still unqueried, each as its cheapest
twin, and queries, in batches, those likeliest to lie beyond the front found so far at
their exact cost, against the bar

    bar(n) = max { p(q) : q queried, cost(q) <= cost(n) }

with ``p`` the rank quantile of the maximised objective (the accuracy), observed for the
queried ``q`` and predicted for ``n`` by a model on the guide's features
(``search.pair_guide``) refitted on every query before each batch. The default model
(``sweep_model="gp"``, since session 26) is a Gaussian process (scikit-learn's, an RBF
kernel plus white noise, its hyperparameters fitted by marginal likelihood); a network's
value is its expected improvement over the bar, so an uncertain prediction just below
the bar can outrank a confident one just above it. Since session 29 its inputs also hold
the cheap cost itself, known for every network, as one more feature (its logarithm,
standardised over the space's networks and weighted by :data:`COST_FEATURE`): on
NAS-Bench-201 larger, slower networks are the more accurate ones in a way the choices'
features capture only in part. ``"gp-arch"`` is the session 26-28 model, on the guide's
features alone. ``"ridge"`` (session 25) ranks by a ridge model's predicted margin
``p(n) - bar(n)``. Under the Gaussian process the sweep
also knows how many of a batch it expects to beat their bars (the sum of their chances):
once that falls below ``sweep_stop`` (:data:`SWEEP_STOP`) it ends, and the rest of its
share goes to the twin phase. Where the found front already holds the networks that
matter (on NAS-Bench-201 x HW-NAS-Bench, the Edge GPU cells, whose front's cheap end is
many twins of a few networks) this happens after two to four batches.

The diffusion's proposals come from its population, so late in a search they stay near
the front found so far; the sweep reaches the networks that no particle proposes (on
NAS-Bench-201 x HW-NAS-Bench: cheap, weak networks at the low end of the front and
near-optimal ones at its top).

Measured in docs/results_multiobjective.md ("Session 25", "Session 26", "Session 29").
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from numbers import Real
from typing import TYPE_CHECKING, Any

import numpy as np
from scipy.stats import norm
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from sklearn.linear_model import Ridge
from threadpoolctl import threadpool_limits

from .twins import TwinIndex, auto_share, best_at_or_below, check_share

if TYPE_CHECKING:
    from .multiobjective import MultiFitness
    from .tracker import Tracker

__all__ = ["AUTO_SWEEP", "COST_FEATURE", "SWEEP_MODELS", "SWEEP_STOP", "Sweep", "check_sweep",
           "cost_feature", "expected_improvement", "phase_budgets", "sweep_phase",
           "within_limit"]  # fmt: skip

#: ``sweep="auto"``: the share of the budget for the sweep, whether or not the cheap
#: cost's table comes in levels (tuned in docs/results_multiobjective.md, "Session 25").
AUTO_SWEEP = 0.2
#: The sweep's models (``sweep_model=``): a Gaussian process ranking by expected
#: improvement on the guide's features and the cheap cost (default; on the features
#: alone since session 26 as ``"gp-arch"``), or a ridge model ranking by predicted margin.
SWEEP_MODELS = ("gp", "gp-arch", "ridge")
#: ``"gp"``: the weight of the cheap cost's standardised logarithm as a feature, against
#: the 0/1 features of the choices (docs/results_multiobjective.md, "Session 29").
COST_FEATURE = 1.0
#: ``sweep_stop=``: the sweep ends once its next batch of 20 is expected to bring fewer
#: new networks beyond the found front than this (the Gaussian processes only; docs/
#: results_multiobjective.md, "Session 26").
SWEEP_STOP = 0.5


def expected_improvement(mu: np.ndarray, sd: np.ndarray, bar: np.ndarray) -> np.ndarray:
    """``E[max(y - bar, 0)]`` for ``y ~ N(mu, sd²)`` (``sd`` floored at 1e-12); where
    ``bar`` is ``-inf`` (nothing queried at that cost or below), ``+inf``."""
    sd = np.maximum(sd, 1e-12)
    with np.errstate(invalid="ignore"):
        z = (mu - bar) / sd
        ei = (mu - bar) * norm.cdf(z) + sd * norm.pdf(z)
    return np.where(np.isneginf(bar), np.inf, ei)


def _gp() -> GaussianProcessRegressor:
    """The ``"gp"`` and ``"gp-arch"`` model: an RBF kernel on the inputs plus white noise; the
    hyperparameters (from 0.1 x RBF(3) + 0.01) are fitted to each batch's data. The
    length scale stays at 1 or more: two networks differ by at least one choice, a
    distance of sqrt(2) on the one-hot rows, and a shorter scale (a local optimum of the
    likelihood that the optimiser found on NAS-Bench-201 x HW-NAS-Bench, with a far
    lower likelihood) relates no network to any other, so the sweep ranks blind."""
    kernel = ConstantKernel(0.1) * RBF(3.0, length_scale_bounds=(1.0, 1e3)) + WhiteKernel(0.01)
    return GaussianProcessRegressor(kernel, normalize_y=True)


def cost_feature(costs: np.ndarray) -> np.ndarray:
    """The ``"gp"`` model's cost column, one row per network: the costs' logarithm (the
    costs themselves where some are not positive) standardised to mean 0 and standard
    deviation 1; all 0 where the costs are all equal."""
    c = np.asarray(costs, dtype=np.float64)
    if not len(c):  # no network has a cost (e.g. none within a limit): nothing to sweep
        return np.zeros((0, 1))
    z = np.log(c) if np.all(c > 0) else c
    sd = z.std()
    return ((z - z.mean()) / (sd if sd > 0 else 1.0))[:, None]


def check_sweep(sweep: Any, twins: float | str, cheap: Sequence[int], model: str = "gp",
                stop: Any = SWEEP_STOP) -> float | str:  # fmt: skip
    """Validate ``sweep`` (``run_ednag_mo``): a share of the budget, or ``"auto"``
    (:data:`AUTO_SWEEP`); the sweep's ``model`` (:data:`SWEEP_MODELS`) and ``stop``
    (a number >= 0, :func:`sweep_phase`).

    ``None`` is ``"auto"`` when ``twins="auto"``, else 0.

    Raises:
        TypeError: neither a number, ``"auto"`` nor ``None``.
        ValueError: outside [0, 1); positive without ``cheap`` and ``twins`` (the sweep
            reads the cost of every network, and the twin phase follows it); an unknown
            ``model``; ``stop`` not a finite number >= 0.
    """
    if model not in SWEEP_MODELS:
        raise ValueError(f"sweep_model must be one of {SWEEP_MODELS}, got {model!r}")
    if isinstance(stop, bool) or not isinstance(stop, Real) or not 0 <= stop < math.inf:
        raise ValueError(f"sweep_stop must be a finite number >= 0, got {stop!r}")
    if sweep is None:
        sweep = "auto" if twins == "auto" else 0.0
    share = check_share("sweep", sweep, AUTO_SWEEP)
    if share and not (cheap and twins):
        raise ValueError("sweep > 0 needs cheap=[the cost] and twins= (it sweeps the "
                         "networks at their exact costs before the twin phase)")  # fmt: skip
    return "auto" if sweep == "auto" else share


class Sweep:
    """The sweep over an enumerable space's networks (module docstring).

    Args:
        index: the space's :class:`~.twins.TwinIndex`.
        costs: the cheap cost of every architecture of ``index`` (NaN: unknown; such
            networks are never swept).
        features: the guide's feature map (``RidgeGuide.features``), called once on the
            networks' cheapest twins.
        model: one of :data:`SWEEP_MODELS`.
        alpha: the ridge penalty (the guide's; ``model="ridge"``).
    """

    def __init__(self, index: TwinIndex, costs: np.ndarray, features: Any,
                 model: str = "gp", alpha: float = 3.0) -> None:  # fmt: skip
        if model not in SWEEP_MODELS:
            raise ValueError(f"model must be one of {SWEEP_MODELS}, got {model!r}")
        self.index, self.costs = index, np.asarray(costs, dtype=np.float64)
        self.model, self.alpha = model, alpha
        best = index.cheapest_twins(self.costs)
        reps = np.unique(best)
        self.reps = reps[np.isfinite(self.costs[reps])]
        self.row = np.full(len(index.archs), -1, dtype=np.int64)
        self.row[self.reps] = np.arange(len(self.reps))
        self.X = np.asarray(features([index.archs[i] for i in self.reps]), dtype=np.float64)
        if model == "gp":
            self.X = np.hstack([self.X, COST_FEATURE * cost_feature(self.costs[self.reps])])

    def batch(self, queried: Sequence[Any], gain: np.ndarray, k: int) -> tuple[list[Any], float]:
        """The next ``k`` networks to query (as their cheapest twins; fewer when fewer
        are left), and how many of them are expected to beat the found front at their
        cost: the sum of their chances under a Gaussian process (``inf`` under
        ``"ridge"``, which has no spread).

        Args:
            queried: keys of every architecture queried so far.
            gain: their maximised objective's values (NaN: not a training value).
            k: batch size.
        """
        pos = np.array([self.index.position[q] for q in queried], dtype=np.int64)
        gain = np.asarray(gain, dtype=np.float64)
        ok = np.isfinite(gain) & np.isfinite(self.costs[pos]) & (self.row[pos] >= 0)
        done = np.isin(self.index.network[self.reps], self.index.network[pos])
        cand = self.reps[~done]
        if ok.sum() < 2 or k < 1 or not len(cand):
            return [], 0.0
        fit, g = pos[ok], gain[ok]
        rank = np.argsort(np.argsort(g, kind="stable"), kind="stable") / (len(g) - 1)
        c = self.costs[cand]
        value, chance = self.value(self.X[self.row[fit]], rank, self.X[self.row[cand]],
                                   best_at_or_below(self.costs[fit], rank, c))  # fmt: skip
        top = np.lexsort((c, -value))[:k]
        return [self.index.archs[i] for i in cand[top]], float(chance[top].sum())

    def value(self, X: np.ndarray, y: np.ndarray, at: np.ndarray,
              bar: np.ndarray) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
        """The model fitted on (``X``, ``y``), its value at the rows ``at`` against their
        ``bar`` (the expected improvement under a Gaussian process, the predicted margin under
        ``"ridge"``) and each row's chance of beating its bar (``inf`` under ``"ridge"``)."""
        with threadpool_limits(limits=1):
            if self.model == "ridge":
                margin = Ridge(alpha=self.alpha).fit(X, y).predict(at) - bar
                return margin, np.full(len(margin), np.inf)
            with warnings.catch_warnings():  # a hyperparameter at its bound: still a fit
                warnings.simplefilter("ignore", ConvergenceWarning)
                mu, sd = _gp().fit(X, y).predict(at, return_std=True)
        chance = norm.sf((bar - mu) / np.maximum(sd, 1e-12))
        return expected_improvement(mu, sd, bar), chance


def phase_budgets(twins: float | str, sweep: float | str, costs: np.ndarray | None,
                  budget: int | None) -> tuple[int, int]:  # fmt: skip
    """Queries held back for the twin phase and for the sweep (``twins="auto"``: the share
    by the cheap cost's table, ``search.twins.auto_share``)."""
    if not twins:
        return 0, 0
    share = auto_share(costs) if twins == "auto" else float(twins)
    swept = AUTO_SWEEP if sweep == "auto" else float(sweep)
    if share + swept >= 1.0:
        raise ValueError(f"twins ({share}) and sweep ({swept}) shares must leave queries "
                         "to the diffusion: their sum must be below 1")  # fmt: skip
    return round(share * budget), round(swept * budget)


def within_limit(multi: MultiFitness, cost: int, costs: np.ndarray) -> np.ndarray:
    """The cheap costs, NaN beyond the cost's limit (constraint mode): never swept."""
    limit = multi.limits[cost]
    return costs if limit is None else np.where(costs <= limit, costs, np.nan)


def sweep_phase(tracker: Tracker, multi: MultiFitness, sweep: Sweep, gain: int,
                stop: float = SWEEP_STOP, batch: int = 20) -> None:  # fmt: skip
    """Spend the sweep's share on the networks it ranks first (``search.sweep``; ``gain``:
    the index of the maximised objective), or end it early, leaving the rest of its
    share to the twin phase, once the next batch is expected to bring fewer than
    ``stop`` networks that beat the found front (:meth:`Sweep.batch`)."""
    while not tracker.done:
        archs = [a for a, _ in tracker.queries]
        values = multi.values(archs)  # cached: evaluates nothing
        cv = multi.violation(values)
        g = values[:, gain].double().numpy()
        if cv is not None:
            g[cv.numpy() > 0] = math.nan  # infeasible: not on the front
        nxt, expected = sweep.batch([tracker.cache.key(a) for a in archs], g,
                                    int(min(batch, tracker.remaining)))  # fmt: skip
        if not nxt or expected < stop:
            return
        tracker.query(nxt, origin="sweep", info={"phase": "sweep"})
