"""Scratch (session 21): a softer recombination set, monkeypatched into
``ednag_opt.search.surrogate._Recombine.select``: a candidate qualifies when at most
``SLACK`` positions take a choice none of the best ``top`` queried cells has."""
from __future__ import annotations

import numpy as np

from ednag_opt.search import surrogate as sm

SLACK = {"m": 1}


def select(self, order, cand, idx, data, k):
    if len(data) < max(self.after, 1) or not len(order):
        return order[:k]
    vals = np.array([self.sign * v for _, v in data])
    best = np.argsort(-vals, kind="stable")[: self.top]
    parents = self.codes([data[i][0] for i in best])
    codes = self.pool_codes[idx] if idx is not None else self.codes(cand)
    outside = np.zeros(len(cand), dtype=np.int64)
    for j in range(codes.shape[1]):
        outside += ~np.isin(codes[:, j], parents[:, j])
    ok = outside <= SLACK["m"]
    first = [i for i in order if ok[i]][: min(self.n, k)]
    taken = set(first)
    rest = [i for i in order if i not in taken][: k - len(first)]
    return np.array(first + rest, dtype=np.int64)


def install(m: int) -> None:
    SLACK["m"] = m
    sm._Recombine.select = select
