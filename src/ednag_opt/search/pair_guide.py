"""A second-order guide: ridge regression on the one-hot encoding and pairs of rows.

:class:`~.guided.RidgeGuide` is additive in the rows. On NAS-Bench-201 an edge's op
matters only if the edges around it connect it to the input and the output, which an
additive model cannot express. :class:`PairRidgeGuide` adds one indicator per pair of rows
and pair of choices, shrunk harder than the rows' own effects. :func:`make_guide` picks the
model for a space (``features="auto"``: pairs on small spaces); the single-objective
searcher (``search.ednag``) and the multi-objective one (``search.guided_mo``) both use it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from threadpoolctl import threadpool_limits

from ..spaces import SearchSpace
from .guided import RidgeGuide

__all__ = ["FEATURES", "MAX_PAIR_FEATURES", "PairRidgeGuide", "guide_features", "make_guide"]

#: Features of a guide's ridge model (:func:`make_guide`).
FEATURES = ("auto", "onehot", "pairs")
#: ``features="auto"`` takes ``"pairs"`` up to this many pair features, else ``"onehot"``.
MAX_PAIR_FEATURES = 1000


class PairRidgeGuide(RidgeGuide):
    """A :class:`~.guided.RidgeGuide` on the one-hot encoding plus every pair of rows'
    joint choice (one indicator per pair of rows and pair of choices): a second-order
    model, for the interactions an additive one misses (on NAS-Bench-201 an edge's op
    matters only if the edges around it connect). ``D1 (D1 - 1) / 2 * D2²`` extra features.
    """

    #: value of a pair indicator: below a row's 1, so that the ridge penalty shrinks the
    #: pair effects harder than the rows' own (by ``1 / scale²``, about 11): the model stays
    #: close to additive until the data show an interaction. Chosen among 1, 0.5 and 0.3 on
    #: NAS-Bench-201 tuning seeds 100-109 (1 overfitted an additive test problem at 200
    #: queries: hypervolume 0.954 of the optimum, against 0.991 at 0.3 and 0.995 additive).
    scale: float = 0.3

    def observe(self, archs: list[Any], values: Any, maximize: bool = True) -> PairRidgeGuide:
        """As :meth:`RidgeGuide.observe`, the fit on one BLAS thread: with more features
        than queries the ridge solves an n x n system each generation, which threads on a
        busy machine only slow down (4x measured on a 2-core machine under load)."""
        with threadpool_limits(limits=1):
            super().observe(archs, values, maximize)
        return self

    def features(self, archs: list[Any], validate: bool = True) -> np.ndarray:
        x = self.space.encode(archs, validate=validate)
        n, d1, d2 = x.shape
        choice = x.argmax(dim=2).numpy()
        a, b = np.triu_indices(d1, k=1)
        code = choice[:, a] * d2 + choice[:, b] + np.arange(len(a)) * d2 * d2
        pairs = np.zeros((n, len(a) * d2 * d2))
        pairs[np.arange(n)[:, None], code] = self.scale
        return np.hstack([x.reshape(n, -1).numpy(), pairs])


def guide_features(space: SearchSpace, features: str = "auto") -> str:
    """The features ``"auto"`` resolves to: ``"pairs"`` when the space's pairs of rows
    and choices number at most :data:`MAX_PAIR_FEATURES` (NAS-Bench-201: 375; TransNAS
    micro and macro: 240 and 336), else ``"onehot"`` (MobileNetV3: 50,715; NB101: 2,925)."""
    if features not in FEATURES:
        raise ValueError(f"features must be one of {FEATURES}, got {features!r}")
    if features != "auto":
        return features
    d1, d2 = space.shape
    return "pairs" if d1 * (d1 - 1) // 2 * d2 * d2 <= MAX_PAIR_FEATURES else "onehot"


def make_guide(space: SearchSpace, features: str = "auto", alpha: float = 3.0,
               min_samples: int = 5) -> RidgeGuide:  # fmt: skip
    """The guide :func:`guide_features` chooses for ``space``, unfitted.

    Raises:
        ValueError: an unknown ``features`` or a bad ``alpha``.
    """
    model = PairRidgeGuide if guide_features(space, features) == "pairs" else RidgeGuide
    return model(space, alpha, min_samples)
