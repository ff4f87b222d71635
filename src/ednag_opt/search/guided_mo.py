"""Model-guided proposals for the multi-objective EDNAG searcher (``search.ednag_mo``).

The single-objective searcher's guidance (``search.guided``) lets every particle take the
best new of its diffusion draws and repair moves under a ridge model of the queries so far.
With several objectives, :class:`ParetoGuide` fits one :class:`~.guided.RidgeGuide` per
objective (each predicts the rank quantile of its objective, in [0, 1], higher is better)
and scores a candidate by how far its predicted vector lies beyond the front found so far
(the additive epsilon indicator, any number of objectives)::

    value(c) = min over front members f of  max over objectives m of  (p_m(c) - p_m(f))

with ``p`` the predicted quantiles of the candidate and of the front's members (both
predicted, so the model's shrinkage cancels). The value is positive when ``c`` is
predicted to be non-dominated, and otherwise it is minus the smallest uniform
improvement that would make it so. A query without a value of an objective (NaN, e.g. a
cost the benchmark never measured) ranks last in that objective's model, so the guide
learns to avoid such cells; it is never on the front. With limits (constraint mode), the front holds
feasible architectures only, and a candidate predicted beyond a limit (its quantile below
the limit's quantile among the queries) ranks below every other.
``guided_offspring`` takes the guide as it takes a :class:`~.guided.RidgeGuide`: it only
uses ``seen``, ``observe`` and ``predict``.

An objective whose values are a lookup (``cheap=``: a latency table, a parameter count)
needs no model: :class:`LookupGuide` puts its exact value on the same rank-quantile scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ..spaces import SearchSpace
from ..strategy.pareto import pareto_mask
from .pair_guide import make_guide

if TYPE_CHECKING:
    from .multiobjective import MultiFitness

__all__ = ["VALUES", "LookupGuide", "ParetoGuide", "epsilon_value", "hypervolume_gain",
           "resolve_cheap"]

#: Pareto values a :class:`ParetoGuide` can rank candidates by.
VALUES = ("epsilon", "hypervolume")

_INFEASIBLE = 10.0  # subtracted from the value of a candidate predicted infeasible
_WORST = -np.finfo(np.float64).max  # a missing objective value ranks below every other


def epsilon_value(P: np.ndarray, front: np.ndarray) -> np.ndarray:
    """``min_f max_m (P[c, m] - front[f, m])`` per row of ``P`` (higher is better).

    Args:
        P: predicted objective vectors, (C, M), higher is better in every column.
        front: the reference front, (F, M); empty: every value is 0 (no preference).

    Returns:
        (C,) values; positive for a row that no front member dominates.
    """
    P = np.asarray(P, dtype=np.float64)
    front = np.asarray(front, dtype=np.float64)
    if P.ndim != 2 or front.ndim != 2 or (len(front) and front.shape[1] != P.shape[1]):
        raise ValueError(f"epsilon_value needs (C, M) and (F, M), got {P.shape}, {front.shape}")
    if not len(front):
        return np.zeros(len(P))
    return (P[:, None, :] - front[None, :, :]).max(axis=2).min(axis=1)


def hypervolume_gain(P: np.ndarray, front: np.ndarray, margin: float = 0.1) -> np.ndarray:
    """Two objectives: the area each row of ``P`` adds to ``front``'s hypervolume; a row
    that adds nothing gets its (non-positive) :func:`epsilon_value` instead.

    Args:
        P: predicted objective vectors, (C, 2), higher is better.
        front: the reference vectors, (F, 2) (dominated ones add nothing).
        margin: the reference point is ``front``'s minimum minus ``margin``.

    Returns:
        (C,) values, higher is better.
    """
    P = np.asarray(P, dtype=np.float64)
    front = np.asarray(front, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] != 2 or front.ndim != 2 or front.shape[1:] != (2,):
        raise ValueError(f"hypervolume_gain needs (C, 2) and (F, 2), got {P.shape}, {front.shape}")
    if not len(front):
        return np.zeros(len(P))
    ref = front.min(axis=0) - margin
    f = front[pareto_mask(front)]  # (a predicted front need not be mutually non-dominated)
    f = f[np.argsort(f[:, 0], kind="stable")]  # x ascending, so y descending
    x = np.clip(np.minimum(f[None, :, 0], P[:, None, 0]) - ref[0], 0.0, None)
    y = np.clip(np.minimum(f[None, :, 1], P[:, None, 1]) - ref[1], 0.0, None)
    covered = (np.diff(x, axis=1, prepend=0.0) * y).sum(axis=1)
    box = np.clip(P - ref, 0.0, None).prod(axis=1)
    gain = box - covered
    return np.where(gain > 1e-12, gain, np.minimum(epsilon_value(P, front), 0.0))


def resolve_cheap(cheap: Any, names: Sequence[str], directions: Sequence[bool],
                  twins: bool = False) -> tuple[int, ...]:  # fmt: skip
    """The indices of the ``cheap`` objectives (names or indices), validated.

    Raises:
        TypeError: ``cheap`` is a string or not a sequence.
        ValueError: an unknown objective, a repeated one, every objective cheap, or, with
            ``twins``, other than two objectives of which the cheap one is a minimised cost
            and the other maximised.
    """
    if isinstance(cheap, str) or not isinstance(cheap, Sequence):
        raise TypeError(f"cheap must be a list of objective names or indices, got {cheap!r}")
    out = []
    for c in cheap:
        j = names.index(c) if isinstance(c, str) and c in names else c
        if isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < len(names):
            raise ValueError(f"cheap: unknown objective {c!r}; objectives: {list(names)}")
        if j in out:
            raise ValueError(f"cheap: objective {names[j]!r} given twice")
        out.append(j)
    if len(out) == len(names):
        raise ValueError("cheap: every objective is cheap; at least one must be queried")
    if twins and out and (len(names) != 2 or directions[out[0]] or not directions[1 - out[0]]):
        raise ValueError("cheap with twins > 0 needs two objectives: a maximised one that is "
                         "queried and a cheap minimised cost")  # fmt: skip
    return tuple(out)


class LookupGuide:
    """A cheap objective's exact value as a guide: the rank quantile of a candidate's value
    among the queried ones (the scale a :class:`~.guided.RidgeGuide` predicts on).

    Args:
        source: the objective (a batched callable, e.g. its cache); called on candidates.
        maximize: its direction.
        min_samples: finite values queried before it ranks (zeros until then).
    """

    def __init__(self, source: Any, maximize: bool, min_samples: int = 5) -> None:
        self.source, self.sign, self.min_samples = source, 1.0 if maximize else -1.0, min_samples
        self.model: bool | None = None  # the ParetoGuide's "fitted" test reads it
        self._sorted = np.empty(0)

    def observe(self, archs: list[Any], values: Any, maximize: bool = True) -> LookupGuide:
        """Add queried scores (higher is better; non-finite ones are dropped)."""
        y = np.asarray(values, dtype=np.float64).reshape(-1)
        y = y[np.isfinite(y) & (y > _WORST)]
        self._sorted = np.sort(np.concatenate([self._sorted, y]))
        self.model = True if len(self._sorted) >= self.min_samples else None
        return self

    def predict(self, archs: list[Any], validate: bool = True) -> np.ndarray:
        """Share of the queried values below each architecture's exact value, scaled to
        ``[0, 1]`` (a missing value ranks last)."""
        if self.model is None:
            return np.zeros(len(archs))
        s = self.sign * np.asarray(self.source(list(archs)), dtype=np.float64)
        s = np.where(np.isfinite(s), s, -np.inf)
        return np.searchsorted(self._sorted, s, side="left") / max(len(self._sorted) - 1, 1)


class ParetoGuide:
    """One ridge model per objective and the epsilon value of the predicted vectors.

    Args:
        space: the search space (the models' features are its one-hot encoding).
        multi: the search's objectives (values, directions and limits).
        alpha: ridge penalty of every model.
        min_samples: queries needed before the models predict; until then every
            candidate's value is 0 (no preference).
        value: ``"epsilon"`` (:func:`epsilon_value`, any number of objectives) or
            ``"hypervolume"`` (:func:`hypervolume_gain`, two objectives).
        features: ``"onehot"`` (additive models), ``"pairs"``
            (:class:`~.pair_guide.PairRidgeGuide`) or ``"auto"``
            (:func:`~.pair_guide.guide_features`: pairs on small spaces).
        cheap: indices of objectives read exactly (:class:`LookupGuide`), not modelled.

    Raises:
        ValueError: a bad ``alpha`` (from :class:`~.guided.RidgeGuide`), an unknown
            ``value``, or ``"hypervolume"`` with other than two objectives.
    """

    def __init__(self, space: SearchSpace, multi: MultiFitness, alpha: float = 3.0,
                 min_samples: int = 5, value: str = "epsilon",
                 features: str = "auto", cheap: tuple[int, ...] = ()) -> None:  # fmt: skip
        if value not in VALUES:
            raise ValueError(f"value must be one of {VALUES}, got {value!r}")
        if value == "hypervolume" and multi.num_objectives != 2:
            raise ValueError("value='hypervolume' needs two objectives")
        self.multi, self.value = multi, value
        self.models = [
            LookupGuide(multi.caches[m], multi.directions[m], min_samples) if m in cheap
            else make_guide(space, features, alpha, min_samples)
            for m in range(multi.num_objectives)
        ]
        self.seen = 0  # queries of the tracker already observed (guided_offspring's counter)
        self._archs: list[Any] = []
        self._scores: list[np.ndarray] = []
        self._feasible: list[np.ndarray] = []
        self.front = np.empty((0, multi.num_objectives))
        self.limit_q: np.ndarray | None = None

    @property
    def fitted(self) -> bool:
        """Whether every objective's model is fitted."""
        return all(g.model is not None for g in self.models)

    def observe(self, archs: list[Any], values: Any = None, maximize: bool = True) -> ParetoGuide:
        """Add queries (all objectives from the caches; ``values``, the tracker's scalar,
        and ``maximize`` are not used) and refit the models and the predicted front."""
        archs = list(archs)
        if archs:
            values = self.multi.values(archs)
            S = self.multi.scores(values).numpy()
            worst = np.where(np.isfinite(S), S, _WORST)  # e.g. a cost the table lacks
            for m, g in enumerate(self.models):
                g.observe(archs, worst[:, m], True)
            cv = self.multi.violation(values)
            self._archs += archs
            self._scores.append(S)
            self._feasible.append(np.ones(len(S), bool) if cv is None else cv.numpy() <= 0)
        if not self.fitted:
            return self
        S = np.concatenate(self._scores)
        feasible = np.concatenate(self._feasible)
        on_front = pareto_mask(np.where(feasible[:, None], S, np.nan))
        front = [a for a, k in zip(self._archs, on_front) if k]
        self.front = self._predict(front) if front else np.empty((0, S.shape[1]))
        self.limit_q = self._limit_quantiles(S)
        return self

    def _predict(self, archs: list[Any], validate: bool = True) -> np.ndarray:
        return np.column_stack([g.predict(archs, validate) for g in self.models])

    def _limit_quantiles(self, S: np.ndarray) -> np.ndarray | None:
        """Per objective, the rank quantile a limit sits at among the queries (-inf: none)."""
        limits = getattr(self.multi, "limits", ())
        if all(b is None for b in limits):
            return None
        n = max(len(S) - 1, 1)
        q = np.full(S.shape[1], -np.inf)
        for m, (b, up) in enumerate(zip(limits, self.multi.directions)):
            if b is not None:
                q[m] = np.sum(S[:, m] < (b if up else -b)) / n
        return q

    def predict(self, archs: list[Any], validate: bool = True) -> np.ndarray:
        """Epsilon value of each architecture's predicted vector (zeros while unfitted)."""
        if not self.fitted:
            return np.zeros(len(archs))
        P = self._predict(archs, validate)
        rate = hypervolume_gain if self.value == "hypervolume" else epsilon_value
        value = rate(P, self.front)
        if self.limit_q is not None:
            value = value - _INFEASIBLE * (P < self.limit_q).any(axis=1)
        return value
