"""Scratch (session 21): UCB whose beta decays linearly to 0 at ``horizon`` real queries,
monkeypatched around ``ednag_opt.search.surrogate._propose``."""
from __future__ import annotations

from ednag_opt.search import surrogate as sm

_orig = sm._propose
H = {"horizon": 30.0}


def propose(space, tracker, params, sign, rseed, beta, *args, **kwargs):
    beta = beta * max(0.0, 1.0 - tracker.unique_queries / H["horizon"])
    return _orig(space, tracker, params, sign, rseed, beta, *args, **kwargs)


def install(horizon: float) -> None:
    H["horizon"] = horizon
    sm._propose = propose
