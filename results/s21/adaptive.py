"""Scratch (session 21): an adaptive share of recombinations, monkeypatched into
``ednag_opt.search.surrogate._Recombine`` for screens. ``recombine`` becomes the share used
after the last improvement came from a recombination or after ``stall`` queries without
improvement; otherwise ``base`` of the round's queries are recombinations."""
from __future__ import annotations

import numpy as np

from ednag_opt.search import surrogate as sm

_orig = sm._Recombine.select
CONF = {"base": 1, "stall": 9}


def select(self, order, cand, idx, data, k):
    if not hasattr(self, "picked"):
        self.picked = set()
    if len(data) < max(self.after, 1) or not len(order):
        return order[:k]
    vals = [self.sign * v for _, v in data]
    keys = [tuple(c) for c in self.codes([a for a, _ in data])]
    best, last_src, last_at = -np.inf, "A", 0
    for i, (kk, v) in enumerate(zip(keys, vals)):
        if v > best:
            best, last_at = v, i + 1
            last_src = "R" if kk in self.picked else "A"
    stalled = len(data) - last_at >= CONF["stall"]
    n_full = self.n
    self.n = n_full if (last_src == "R" or stalled) else min(CONF["base"], n_full)
    try:
        out = _orig(self, order, cand, idx, data, k)
    finally:
        self.n = n_full
    # remember which picks were recombinations: the first ones that recombine the parents
    parents_ok = _is_rec(self, cand, idx, data)
    for i in out:
        if parents_ok[i]:
            self.picked.add(tuple(self.codes([cand[i]])[0]))
    return out


def _is_rec(self, cand, idx, data):
    vals = np.array([self.sign * v for _, v in data])
    top = np.argsort(-vals, kind="stable")[: self.top]
    parents = self.codes([data[i][0] for i in top])
    codes = self.pool_codes[idx] if idx is not None else self.codes(cand)
    ok = np.ones(len(cand), dtype=bool)
    for j in range(codes.shape[1]):
        ok &= np.isin(codes[:, j], parents[:, j])
    return ok


def install(base: int, stall: int) -> None:
    CONF.update(base=base, stall=stall)
    sm._Recombine.select = select
