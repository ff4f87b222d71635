"""Shared fixtures of the predictor tests: NB201 architectures (``additive``: tests/conftest.py)."""

from __future__ import annotations

import pytest
import torch

from ednag_opt.spaces import get_space


@pytest.fixture(scope="module")
def archs():
    """300 NB201 cells, the same for every test module."""
    return get_space("nas-bench-201").sample(300, generator=torch.Generator().manual_seed(0))
