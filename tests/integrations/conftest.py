"""Shared set-up of the integration tests: one torch thread (tiny tensors, shared cores)."""

import pytest


@pytest.fixture(autouse=True)
def _one_thread(one_thread):
    yield
