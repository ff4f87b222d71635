"""Futures and the steady-state loop of :class:`~ednag_opt.fitness.parallel.ParallelFitness`."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ednag_opt.fitness.base import arch_key

if TYPE_CHECKING:
    from ednag_opt.fitness.parallel import ParallelFitness

__all__ = ["EvalFuture", "steady_state", "check_args"]

BACKENDS = ("process", "ray")


class EvalFuture:
    """The pending fitness of one architecture submitted to a :class:`ParallelFitness`.

    Attributes:
        arch: The architecture.
        metric: The metric asked for (``None``: the fitness).
        attempts: Evaluations started so far (1 + retries).
        seconds: Worker wall time of the successful (or last) attempt.
    """

    __slots__ = ("arch", "metric", "attempts", "seconds", "_owner", "_value", "_error", "_done")

    def __init__(self, owner: ParallelFitness, arch: Any, metric: str | None) -> None:
        self.arch, self.metric, self._owner = arch, metric, owner
        self.attempts, self.seconds = 0, 0.0
        self._value, self._error, self._done = math.nan, None, False

    def done(self) -> bool:
        """Whether the value (or the final failure) is known."""
        return self._done

    def result(self, timeout: float | None = None) -> float:
        """The value, waiting for it; NaN if every attempt failed (see :attr:`error`).

        Args:
            timeout: Seconds to wait at most (``None``: as long as it takes).

        Raises:
            TimeoutError: If the value is not known within ``timeout``.
        """
        end = math.inf if timeout is None else time.monotonic() + timeout
        while not self._done:
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no result for {arch_key(self.arch)!r} within {timeout} s")
            self._owner._step(min(left, 5.0))
        return self._value

    @property
    def error(self) -> str | None:
        """Why the evaluation failed (the last attempt's error), ``None`` if it succeeded."""
        return self._error

    def __repr__(self) -> str:
        state = f"value={self._value}" if self._done else "pending"
        return f"EvalFuture({arch_key(self.arch)!r}, {state}, attempts={self.attempts})"


def steady_state(
    pool: ParallelFitness,
    propose: Callable[[int], Sequence[Any]],
    tell: Callable[[Any, float], None],
    budget: int,
    in_flight: int | None = None,
) -> int:
    """Asynchronous steady-state loop: keep every worker busy until ``budget`` evaluations.

    Starts ``in_flight`` evaluations (default: one per worker); each time one finishes,
    ``tell(arch, value)`` reports it and ``propose(1)`` supplies the next architecture,
    so no worker waits for the slowest member of a generation. The order of results, and
    hence the search, depends on evaluation times: use the generational
    ``fitness(archs)`` call where runs must be reproducible.

    Args:
        pool: The parallel evaluator (started if needed).
        propose: ``propose(n)`` returns ``n`` new architectures.
        tell: Receives each finished architecture and its value (NaN if it failed).
        budget: Evaluations to run in total.
        in_flight: Evaluations kept running at once.

    Returns:
        The number of evaluations told.
    """
    pool.start()
    width = in_flight if in_flight is not None else pool.num_workers or 1
    if budget < 0 or width < 1:
        raise ValueError(f"budget must be >= 0 and in_flight >= 1; got {budget}, {width}")
    pending = pool.submit(propose(min(width, budget)))
    submitted, told = len(pending), 0
    while pending:
        fut = next(pool.as_completed(pending))
        pending.remove(fut)
        tell(fut.arch, fut.result())
        told += 1
        if submitted < budget:
            pending += pool.submit(propose(1))
            submitted += 1
    return told


def check_args(
    num_workers, backend, address, num_gpus, max_retries, timeout, num_cpus, start_method
) -> None:
    """Clear errors for bad constructor arguments."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {BACKENDS}; got {backend!r}")
    if num_workers is not None and (
        isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 1
    ):
        raise ValueError(f"num_workers must be an int >= 1 or None; got {num_workers!r}")
    if address is not None and backend != "ray":
        raise ValueError("address is for backend='ray' only")
    if not num_gpus >= 0:
        raise ValueError(f"num_gpus_per_worker must be >= 0; got {num_gpus!r}")
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be an int >= 0; got {max_retries!r}")
    if timeout is not None and not timeout > 0:
        raise ValueError(f"timeout must be > 0 seconds or None; got {timeout!r}")
    if not num_cpus >= 0:
        raise ValueError(f"num_cpus_per_worker must be >= 0; got {num_cpus!r}")
    if start_method not in ("spawn", "forkserver"):
        raise ValueError(f"start_method must be 'spawn' or 'forkserver'; got {start_method!r}")
