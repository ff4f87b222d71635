"""Shared fixtures. Data tests skip without ../shared/data unless EDNAG_REQUIRE_DATA=1."""

from __future__ import annotations

import os

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
