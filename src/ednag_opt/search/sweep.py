"""The sweep phase of the multi-objective NAS searcher's cost-lookup mode (``sweep=``).

With a cost known for every cell (``cheap=`` with ``twins=``, ``search.ednag_mo``) the
search has three phases: the diffusion queries one network at a time (each as its
cheapest twin), then the sweep, then the twin phase (``search.twins``). The sweep looks at
every network of the (enumerable) space that is still unqueried, each as its cheapest
twin, and queries, in batches, those predicted to lie furthest beyond the front found so
far at their exact cost:

    value(n) = p(n) - max { p(q) : q queried, cost(q) <= cost(n) }

with ``p`` the rank quantile of the maximised objective (the accuracy): predicted for
``n`` by a ridge model on the guide's features (``search.pair_guide``), refitted on every
query before each batch, and observed for the queried ``q``. A network predicted to beat
every cheaper query has a positive value. The diffusion's proposals come from its
population, so late in a search they stay near the front found so far; the sweep reaches
the networks that no particle proposes (on NAS-Bench-201 x HW-NAS-Bench: cheap, weak
networks at the low end of the front and near-optimal ones at its top).

Measured in docs/results_multiobjective.md ("Session 25").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from sklearn.linear_model import Ridge
from threadpoolctl import threadpool_limits

from .twins import TwinIndex, auto_share, best_at_or_below, check_share

if TYPE_CHECKING:
    from .multiobjective import MultiFitness
    from .tracker import Tracker

__all__ = ["AUTO_SWEEP", "Sweep", "check_sweep", "phase_budgets", "sweep_phase", "within_limit"]

#: ``sweep="auto"``: the share of the budget for the sweep, whether or not the cheap
#: cost's table comes in levels (tuned in docs/results_multiobjective.md, "Session 25").
AUTO_SWEEP = 0.2


def check_sweep(sweep: Any, twins: float | str, cheap: Sequence[int]) -> float | str:
    """Validate ``sweep`` (``run_ednag_mo``): a share of the budget, or ``"auto"``
    (:data:`AUTO_SWEEP`).

    ``None`` is ``"auto"`` when ``twins="auto"``, else 0.

    Raises:
        TypeError: neither a number, ``"auto"`` nor ``None``.
        ValueError: outside [0, 1); positive without ``cheap`` and ``twins`` (the sweep
            reads the cost of every network, and the twin phase follows it).
    """
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
        alpha: the ridge penalty (the guide's).
    """

    def __init__(self, index: TwinIndex, costs: np.ndarray, features: Any,
                 alpha: float = 3.0) -> None:  # fmt: skip
        self.index, self.costs, self.alpha = index, np.asarray(costs, dtype=np.float64), alpha
        best = index.cheapest_twins(self.costs)
        reps = np.unique(best)
        self.reps = reps[np.isfinite(self.costs[reps])]
        self.row = np.full(len(index.archs), -1, dtype=np.int64)
        self.row[self.reps] = np.arange(len(self.reps))
        self.X = np.asarray(features([index.archs[i] for i in self.reps]), dtype=np.float64)

    def batch(self, queried: Sequence[Any], gain: np.ndarray, k: int) -> list[Any]:
        """The next ``k`` networks to query (as their cheapest twins; fewer when fewer
        are left).

        Args:
            queried: keys of every architecture queried so far.
            gain: their maximised objective's values (NaN: not a training value).
            k: batch size.
        """
        pos = np.array([self.index.position[q] for q in queried], dtype=np.int64)
        gain = np.asarray(gain, dtype=np.float64)
        ok = np.isfinite(gain) & np.isfinite(self.costs[pos]) & (self.row[pos] >= 0)
        if ok.sum() < 2 or k < 1:
            return []
        fit, g = pos[ok], gain[ok]
        rank = np.argsort(np.argsort(g, kind="stable"), kind="stable") / (len(g) - 1)
        with threadpool_limits(limits=1):
            model = Ridge(alpha=self.alpha).fit(self.X[self.row[fit]], rank)
        done = np.isin(self.index.network[self.reps], self.index.network[pos])
        cand = self.reps[~done]
        if not len(cand):
            return []
        with threadpool_limits(limits=1):
            mu = model.predict(self.X[self.row[cand]])
        c = self.costs[cand]
        value = mu - best_at_or_below(self.costs[fit], rank, c)
        order = cand[np.lexsort((c, -value))]
        return [self.index.archs[i] for i in order[:k]]


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
                 batch: int = 20) -> None:  # fmt: skip
    """Spend the sweep's share on the networks it ranks first (``search.sweep``; ``gain``:
    the index of the maximised objective)."""
    while not tracker.done:
        archs = [a for a, _ in tracker.queries]
        values = multi.values(archs)  # cached: evaluates nothing
        cv = multi.violation(values)
        g = values[:, gain].double().numpy()
        if cv is not None:
            g[cv.numpy() > 0] = math.nan  # infeasible: not on the front
        nxt = sweep.batch([tracker.cache.key(a) for a in archs], g,
                          int(min(batch, tracker.remaining)))  # fmt: skip
        if not nxt:
            return
        tracker.query(nxt, origin="sweep", info={"phase": "sweep"})
