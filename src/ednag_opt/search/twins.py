"""The twin phase of the multi-objective NAS searcher (``search.ednag_mo``, ``twins=``).

In a cell space such as NAS-Bench-201 many cells compute the same network: they differ only
in operations on edges that never reach the output (the space's ``canonicalize`` removes
them). Such *twins* were trained separately, so their accuracies differ by training noise
only, but their hardware costs can differ systematically (the signal-free operations still
run on the device). Most members of a true accuracy x cost front are twins of a few
networks, on the front by the luck of their noise. The diffusion's proposals do query many
twins, but not the ones that can join the front: late in a search most missing front cells
are twins of networks already found non-dominated.

The twin phase spends the end of the budget on them, in batches. Costs are predicted by a
ridge regression of each minimised objective on the one-hot encoding and every product of
two of its entries, fitted on every query so far. Two orderings:

- *cheapest first* (the general case): the unqueried twins of the networks found
  non-dominated, the one predicted cheapest relative to the costliest non-dominated member
  of its network first;
- *staircase* (one accuracy-like and one cost objective whose queried values come in a few
  exact levels, :func:`cost_levels`, as FPGA and Eyeriss costs do): the front is then the
  most accurate cell at each level, and its missing members are twins within training
  noise of a level's best cell, often of networks never found non-dominated. Every
  unqueried twin of a queried network is ranked by its chance of not being dominated by
  the found front.

With a cost known for every cell (``cheap=``, a lookup table) no cost is predicted: every
unqueried twin of a queried network is ranked by its chance of beating the best queried
accuracy at its exact cost or below (:func:`_exact_staircase`: a twin of a *constant*
network, whose queried twins all scored the same, as NAS-Bench-201's cells with the output
cut off do, has no chance: it can only tie); before the twin phase each
network is queried as its cheapest twin (:meth:`TwinIndex.cheapest_twins`), the sweep
(``search.sweep``) takes the unqueried networks predicted best at their cost, and
``twins="auto"`` takes the share from the table (:func:`auto_share`).

Measured on NAS-Bench-201 x HW-NAS-Bench in ``docs/results_multiobjective.md``
("Session 14"; pair features and the staircase since "Session 15").
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from types import MappingProxyType
from typing import Any

import numpy as np
from scipy.stats import norm
from sklearn.linear_model import Ridge
from sklearn.preprocessing import PolynomialFeatures

from ..spaces import SearchSpace
from ..spaces.base import ENUMERATE_LIMIT
from ..strategy.pareto import pareto_mask

__all__ = ["AUTO_SHARES", "TIE", "TwinIndex", "auto_share", "best_at_or_below", "check_share",
           "check_twins", "cost_levels", "twin_batch"]

#: ``twins="auto"`` with a cheap cost: the share where the table's costs come in levels
#: (:func:`cost_levels`) and where they do not (tuned in docs/results_multiobjective.md,
#: "Session 24" and "Session 22").
AUTO_SHARES = MappingProxyType({"levels": 0.2, "continuous": 0.5})


#: Values within this (relative, at least 1e-6 absolute) of each other are a tie: the
#: accuracies of NAS-Bench-201's cut-off cells differ by 1e-9 of float rounding.
TIE = 1e-6


def check_twins(twins: Any, space: SearchSpace, max_queries: int | None,
                canonical: bool, directions: Sequence[bool]) -> float | str:  # fmt: skip
    """Validate the ``twins`` share of the budget (see ``run_ednag_mo``); return it
    (``"auto"`` is checked as a positive share and returned as is: :func:`auto_share`).

    Raises:
        TypeError: neither a number nor ``"auto"``.
        ValueError: outside [0, 1); or, when positive: no budget, a space without
            ``canonicalize`` or too large to enumerate, ``distinct="networks"`` (every
            query is already a network), or no minimised objective (a cost to order by).
    """
    auto = isinstance(twins, str) and twins == "auto"
    share = check_share("twins", twins, AUTO_SHARES["continuous"])
    if share == 0.0:
        return 0.0
    if max_queries is None:
        raise ValueError("twins > 0 holds back a share of the budget: give max_queries")
    if not callable(getattr(space, "canonicalize", None)):
        raise ValueError(f"twins > 0 needs a space with canonicalize(); {space.name!r} has none")
    size = getattr(space, "num_architectures", None)
    if type(space).enumerate is SearchSpace.enumerate or not isinstance(size, int) \
            or size > ENUMERATE_LIMIT:
        raise ValueError(f"twins > 0 enumerates the space; {space.name!r} has {size} "
                         f"architectures (at most {ENUMERATE_LIMIT:,} enumerable)")  # fmt: skip
    if canonical:
        raise ValueError("twins > 0 has nothing to query with distinct='networks' "
                         "(every query is already a network)")  # fmt: skip
    if all(directions):
        raise ValueError("twins > 0 orders twins by their costs: at least one objective "
                         "must be minimised")  # fmt: skip
    return "auto" if auto else share


def check_share(name: str, share: Any, auto: float) -> float:
    """A share of the budget in [0, 1), or ``"auto"`` (returned as ``auto``).

    Raises:
        TypeError: neither a number nor ``"auto"``.
        ValueError: outside [0, 1).
    """
    if isinstance(share, str) and share == "auto":
        return auto
    if isinstance(share, bool) or not isinstance(share, int | float):
        raise TypeError(f"{name} must be a share of the budget in [0, 1) or 'auto', "
                        f"got {share!r}")  # fmt: skip
    if not 0.0 <= share < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {share}")
    return float(share)


def best_at_or_below(cost: np.ndarray, gain: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For each cost in ``at``, the best ``gain`` among the points (``cost``, ``gain``) at
    that cost or below (``-inf`` where none is): the found front as a staircase."""
    o = np.argsort(cost, kind="stable")
    best = np.maximum.accumulate(gain[o])
    k = np.searchsorted(cost[o], at, side="right")
    return np.where(k > 0, best[np.maximum(k - 1, 0)], -np.inf)


def auto_share(costs: np.ndarray) -> float:
    """The share of ``twins="auto"`` for a cheap cost with these values over the whole
    space (NaN: unmeasured): :data:`AUTO_SHARES` by whether they come in levels. Where
    they do (FPGA, Eyeriss), the front is the most accurate cell of each level and a few
    twins fill it; more queries go to finding networks."""
    finite = np.asarray(costs, dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    return AUTO_SHARES["levels" if cost_levels(finite) else "continuous"]


class TwinIndex:
    """Every architecture of a (small) space grouped by its canonical network.

    Args:
        space: a space with ``enumerate()`` and ``canonicalize()``.
        key: the key architectures are told apart by (the tracker's cache key).
    """

    def __init__(self, space: SearchSpace, key: Any) -> None:
        self.space = space
        self.archs = list(space.enumerate())
        self.keys = [key(a) for a in self.archs]
        self.position = {k: i for i, k in enumerate(self.keys)}
        nets = [key(space.canonicalize(a)) for a in self.archs]
        self.network = np.unique(np.array(nets), return_inverse=True)[1]
        self.is_canonical = np.array([k == n for k, n in zip(self.keys, nets, strict=True)])

    def cheapest_twins(self, costs: np.ndarray) -> np.ndarray:
        """For every architecture, the position of its network's cheapest twin under
        ``costs`` (one value per architecture, NaN where unknown). Ties, and networks
        without a finite cost, go to the canonical form, then to the first position."""
        c = np.where(np.isfinite(costs), costs, np.inf)
        order = np.lexsort((np.arange(len(c)), ~self.is_canonical, c, self.network))
        net = self.network[order]
        first = order[np.r_[True, net[1:] != net[:-1]]]
        best = np.empty(int(self.network.max()) + 1, dtype=np.int64)
        best[self.network[first]] = first
        return best[self.network]

    @cached_property
    def features(self) -> np.ndarray:
        """The one-hot entries and their pairwise products: the cost model's features
        (computed on first use; exact costs, ``cheap=``, need none)."""
        onehot = self.space.encode(self.archs).reshape(len(self.archs), -1).double().numpy()
        pairs = PolynomialFeatures(2, interaction_only=True, include_bias=False)
        return pairs.fit_transform(onehot)


def twin_batch(index: TwinIndex, queried: Sequence[str], values: np.ndarray,
               directions: Sequence[bool], k: int,
               exact: np.ndarray | None = None) -> list[Any]:  # fmt: skip
    """The next ``k`` twins to query (fewer when fewer are left; module docstring).

    Args:
        index: the space's :class:`TwinIndex`.
        queried: keys of every architecture queried so far, in order.
        values: their raw objective values, (Q, M); rows with a NaN (or infeasible ones
            the caller set to NaN) are neither front members nor training data.
        directions: per objective, True if maximised.
        k: batch size.
        exact: with two objectives (a gain and a cost), the cost of every architecture
            of ``index`` known exactly (``cheap=``, NaN where unknown): the twins of every
            queried network are then ordered by :func:`_exact_staircase`, and no cost is
            predicted.
    """
    pos, V, seen = _usable(index, queried, values)
    if len(pos) < 2 or k < 1:
        return []
    costs = [m for m, up in enumerate(directions) if not up]
    if exact is not None:
        gain = V[:, 1 - costs[0]]
        order = _exact_staircase(index, pos, gain, V[:, costs[0]], exact, seen)
        return [index.archs[i] for i in order[:k]]
    sign = np.where(np.asarray(directions), 1.0, -1.0)
    front = pos[pareto_mask(V * sign)]
    X = index.features
    pred = np.column_stack([Ridge(alpha=1.0).fit(X[pos], V[:, m]).predict(X) for m in costs])
    if len(directions) == 2 and len(costs) == 1 and cost_levels(V[:, costs[0]]):
        resid = float(np.std(V[:, costs[0]] - pred[pos, 0]))
        gains = [m for m, up in enumerate(directions) if up]
        order = _staircase(index, pos, V[:, gains[0]], V[:, costs[0]], front, pred[:, 0],
                           resid, seen)  # fmt: skip
    else:
        order = _cheapest_first(index, pos, V[:, costs], front, pred, seen)
    return [index.archs[i] for i in order[:k]]


def _usable(index: TwinIndex, queried: Sequence[str],
            values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # fmt: skip
    """The positions and values of the queried rows without a NaN, and which
    architectures of ``index`` were queried (``twin_batch``'s arguments)."""
    queried_pos = np.array([index.position[q] for q in queried], dtype=np.int64)
    V = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(V).all(axis=1)
    seen = np.zeros(len(index.archs), dtype=bool)
    seen[queried_pos] = True
    return queried_pos[ok], V[ok], seen


def cost_levels(cost: np.ndarray) -> bool:
    """True when the queried costs come in a few exact levels: more than half of them
    repeat a value seen before (FPGA and Eyeriss costs in HW-NAS-Bench, 90-96% repeats;
    latencies measured on phones, GPUs and the Edge TPU, almost none)."""
    return len(cost) > 0 and 1.0 - len(np.unique(cost)) / len(cost) > 0.5


def _cheapest_first(index: TwinIndex, pos: np.ndarray, C: np.ndarray, front: np.ndarray,
                    pred: np.ndarray, seen: np.ndarray) -> np.ndarray:  # fmt: skip
    """Unqueried twins of the non-dominated networks, by predicted costs relative to the
    network's costliest non-dominated member (summed over costs, range-normalised)."""
    span = np.ptp(C, axis=0)
    span[span <= 0] = 1.0
    worst = {}  # network -> costliest non-dominated member, per cost
    for p in front:
        n = index.network[p]
        c = C[pos == p][0]
        worst[n] = np.maximum(worst[n], c) if n in worst else c
    cand = np.flatnonzero(np.isin(index.network, list(worst)) & ~seen)
    if not len(cand):
        return cand
    ref = np.stack([worst[n] for n in index.network[cand]])
    score = ((pred[cand] - ref) / span).sum(axis=1)
    return cand[np.argsort(score, kind="stable")]


def _staircase(index: TwinIndex, pos: np.ndarray, gain: np.ndarray, cost: np.ndarray,
               front: np.ndarray, pred: np.ndarray, resid: float,
               seen: np.ndarray) -> np.ndarray:  # fmt: skip
    """Unqueried twins of every queried network, by their chance of not being dominated by
    the found front (a staircase when costs come in levels). A twin's gain (accuracy) is
    normal around its network's queried mean, with the twins' pooled spread; its cost is
    normal around the ridge prediction, with the fit's residual spread. Ties: cheaper first.
    """
    cand, mu, sd, _ = _twin_accuracy(index, pos, gain, seen)
    if not len(cand):
        return cand
    fpos = np.isin(pos, front)
    o = np.argsort(cost[fpos], kind="stable")
    level, best = cost[fpos][o], np.maximum.accumulate(gain[fpos][o])
    # P(cost in [level_j, level_j+1)) * P(gain > best_j), plus P(cost below every level)
    edges = norm.cdf((np.append(level, np.inf)[None, :] - pred[cand, None]) / max(resid, 1e-12))
    beats = _chance(best[None, :], mu[:, None], sd[:, None])
    p = edges[:, 0] + ((edges[:, 1:] - edges[:, :-1]) * beats).sum(axis=1)
    return cand[np.lexsort((pred[cand], -p))]


def _twin_accuracy(
    index: TwinIndex, pos: np.ndarray, gain: np.ndarray, seen: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The unqueried twins of the queried networks, each one's expected gain (its
    network's queried mean), its spread (the twins' pooled spread around their network's
    mean; 0 for a *constant* network, two or more queried twins and one value among
    them: in NAS-Bench-201 the cells whose output is cut off all score chance level)
    and the number of queried twins behind each mean."""
    nets, inv = np.unique(index.network[pos], return_inverse=True)
    count = np.bincount(inv)
    mean = np.bincount(inv, gain) / count
    lo, hi = np.full(len(nets), np.inf), np.full(len(nets), -np.inf)
    np.minimum.at(lo, inv, gain)
    np.maximum.at(hi, inv, gain)
    const = (count >= 2) & (hi - lo <= TIE * np.maximum(1.0, np.abs(mean)))
    noisy = ~const[inv]
    dof = int((count[~const] - 1).sum())
    # no two twins of a noisy network queried yet: a tiny spread, so that a twin's chance
    # is 1, 0 or (tied with its bar) 1/2
    spread = float(np.sqrt(((gain - mean[inv])[noisy] ** 2).sum() / dof)) if dof else 1e-12
    cand = np.flatnonzero(np.isin(index.network, nets) & ~seen)
    at = np.searchsorted(nets, index.network[cand])
    return cand, mean[at], np.where(const[at], 0.0, spread), count[at]


def _chance(bar: np.ndarray, mu: np.ndarray, sd: np.ndarray) -> np.ndarray:
    """``P(y > bar)`` for ``y ~ N(mu, sd²)``, ``mu`` within a tie of ``bar`` (:data:`TIE`,
    relative) counted as equal to it; where ``sd`` is 0 (a constant network), 1 if ``mu``
    beats ``bar`` by more than a tie, else 0."""
    gap = mu - bar
    tie = np.abs(gap) <= TIE * np.maximum(1.0, np.abs(bar))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(tie, 0.5, norm.sf(-gap / sd))
    return np.where(sd > 0, p, ((gap > 0) & ~tie).astype(np.float64))


def _exact_staircase(index: TwinIndex, pos: np.ndarray, gain: np.ndarray, cost: np.ndarray,
                     exact: np.ndarray, seen: np.ndarray) -> np.ndarray:  # fmt: skip
    """:func:`_staircase` with every cell's cost known exactly (``cheap=``): a twin's
    chance of joining the front is that its gain beats the best queried gain at its cost
    or below. The gain's spread is predictive: the twins' pooled spread times
    ``sqrt(1 + 1/n)``, for a network mean estimated from ``n`` queried twins (since
    session 25). Twins without a cost (NaN) are left out; ties: cheaper first."""
    cand, mu, sd, n = _twin_accuracy(index, pos, gain, seen)
    keep = np.isfinite(exact[cand])
    cand, mu, sd, n = cand[keep], mu[keep], sd[keep], n[keep]
    if not len(cand):
        return cand
    bar = best_at_or_below(cost, gain, exact[cand])  # queried cells at most as costly
    p = _chance(bar, mu, sd * np.sqrt(1.0 + 1.0 / n))
    return cand[np.lexsort((exact[cand], -p))]
