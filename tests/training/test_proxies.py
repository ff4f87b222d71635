"""Zero-cost proxies: finite for every op type, usable as fitness."""

from __future__ import annotations

import math

import pytest
import torch

from ednag_opt.fitness.proxies import ProxyFitness, naswot_score, spearman, synflow_score
from ednag_opt.training import NB201_OPS, nb201_string


@pytest.mark.parametrize("op", range(len(NB201_OPS)))
def test_proxies_finite_for_every_op(op: int) -> None:
    cell = nb201_string([op] * 6)
    assert math.isfinite(naswot_score(cell, "digits_all", batch_size=32))
    assert math.isfinite(synflow_score(cell, "digits_all"))


def test_proxy_fitness_orders_none_below_conv() -> None:
    cells = [nb201_string([0] * 6), nb201_string([3] * 6)]
    for proxy in ("naswot", "synflow"):
        f = ProxyFitness("digits_0to4", proxy=proxy)
        s = f(cells)
        assert s.dtype == torch.float64 and s[1] > s[0]
        assert f(cells).tolist() == s.tolist()  # cached and deterministic
    with pytest.raises(ValueError):
        ProxyFitness("digits_all", proxy="nope")


def test_spearman() -> None:
    assert spearman([1, 2, 3], [0.1, 0.5, 0.9]) == pytest.approx(1.0)
