"""One torch thread for small populations (a library default, not a user chore).

A generation of a small population is a handful of tiny tensor operations; torch's
intra-op threads only add synchronisation, 3-30x on a busy machine (the README's
ask/tell example: 1.8 s with one thread, 60 s with two on a loaded 2-core machine).
:func:`small_threads` runs ``ask``/``tell`` with one thread when the population holds at
most :data:`SMALL` numbers and lives on the CPU, then restores the caller's setting (about
1 microsecond per switch). ``OMP_NUM_THREADS`` set in the environment is respected.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import torch

__all__ = ["SMALL", "few_threads", "small_threads"]

#: Populations up to this many numbers (popsize x solution size) run single-threaded.
SMALL = 1 << 18

F = TypeVar("F", bound=Callable[..., Any])


@contextlib.contextmanager
def few_threads(numel: int, device: torch.device | str = "cpu") -> Iterator[None]:
    """One torch thread inside the block when ``numel <= SMALL`` numbers on the CPU."""
    n = torch.get_num_threads()
    small = numel <= SMALL and torch.device(device).type == "cpu"
    if n == 1 or not small or "OMP_NUM_THREADS" in os.environ:
        yield
        return
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(n)


def small_threads(method: F) -> F:
    """Decorate a strategy method to run single-threaded for small CPU populations."""

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with few_threads(self.popsize * math.prod(self.shape), self.device):
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
