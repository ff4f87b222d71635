"""Shared fixtures of the predictor tests: NB201 architectures and synthetic additive tasks."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
import torch

from ednag_opt.spaces import get_space


@pytest.fixture(scope="module")
def archs():
    """300 NB201 cells, the same for every test module."""
    return get_space("nas-bench-201").sample(300, generator=torch.Generator().manual_seed(0))


def _additive(seed: int) -> Callable:
    """A task: additive random op scores per edge (larger is better)."""
    table = np.random.default_rng(seed).normal(size=(6, 5))

    def f(cells) -> np.ndarray:
        ops = np.array([a.ops for a in cells]).reshape(-1, 6)
        return table[np.arange(6), ops].sum(axis=1)

    return f


@pytest.fixture(scope="session")
def additive() -> Callable[[int], Callable]:
    """``additive(seed)`` -> a synthetic NB201 task (a batched fitness function)."""
    return _additive
