"""Shared fixtures. Data tests skip without ../shared/data unless EDNAG_REQUIRE_DATA=1."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np
import pytest
import torch

from ednag_opt.datasets import find_data_file


@pytest.fixture
def data_file():
    """Return a function that resolves a benchmark file or skips (fails under CI)."""

    def _get(relative: str):
        try:
            return find_data_file(relative)
        except FileNotFoundError as exc:
            if os.environ.get("EDNAG_REQUIRE_DATA") == "1":
                pytest.fail(f"required benchmark data missing: {exc}")
            pytest.skip(str(exc))

    return _get


@pytest.fixture
def one_thread():
    """Run a test with one torch thread (tiny tensors on shared cores), then restore."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


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
