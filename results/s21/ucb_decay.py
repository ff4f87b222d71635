"""Scratch (session 21): UCB whose beta decays linearly to 0 at ``horizon`` real queries,
monkeypatched around ``ednag_opt.search.surrogate._propose``. With ``start`` > 0 the beta
is 0 before ``start`` queries and decays from ``start`` to ``horizon``."""
from __future__ import annotations

from ednag_opt.search import surrogate as sm

_orig = sm._propose
H = {"horizon": 30.0, "start": 0.0}


def propose(space, tracker, params, sign, rseed, beta, *args, **kwargs):
    n, a, b = tracker.unique_queries, H["start"], H["horizon"]
    beta = 0.0 if n < a else beta * max(0.0, 1.0 - (n - a) / (b - a))
    return _orig(space, tracker, params, sign, rseed, beta, *args, **kwargs)


def install(horizon: float, start: float = 0.0) -> None:
    H["horizon"], H["start"] = horizon, start
    sm._propose = propose
