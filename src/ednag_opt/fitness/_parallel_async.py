"""Futures, the scheduler and the steady-state loop of
:class:`~ednag_opt.fitness.parallel.ParallelFitness`."""

from __future__ import annotations

import math
import pickle
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ednag_opt.fitness._parallel_backends import Event
from ednag_opt.fitness.base import arch_key

if TYPE_CHECKING:
    from ednag_opt.fitness.parallel import ParallelFitness

__all__ = ["EvalFuture", "Scheduler", "steady_state", "check_args", "pickle_check"]

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


class Scheduler:
    """The driver-side scheduling of :class:`ParallelFitness` (a mixin).

    Slots are ``starting`` (worker loading the fitness), ``idle`` or ``running`` one
    evaluation (with its deadline). Queued evaluations go to idle slots in order; a
    failed attempt goes back to the front of the queue until ``max_retries`` is spent.
    Everything runs in the calling thread, inside :meth:`_step`.
    """

    START_TIMEOUT: float
    backend: str
    timeout: float | None
    max_retries: int
    stats: dict[str, Any]
    errors: dict[str, str]
    worker_pids: dict[int, Any]
    on_result: Any
    _pool: Any
    _tasks: dict[int, EvalFuture]
    _queue: Any
    _idle: list[int]
    _starting: set[int]
    _running: dict[int, tuple[int, float, float]]
    _start_failures: dict[int, int]
    _last_progress: float

    def close(self) -> None:  # implemented by ParallelFitness
        raise NotImplementedError

    def _start_slot(self, slot: int) -> None:  # implemented by ParallelFitness
        raise NotImplementedError

    def _dispatch(self) -> None:
        now = time.monotonic()
        while self._queue and self._idle:
            slot, tid = self._idle.pop(), self._queue.popleft()
            fut = self._tasks[tid]
            fut.attempts += 1
            self.stats["evaluations"] += 1
            deadline = now + self.timeout if self.timeout is not None else math.inf
            self._running[slot] = (tid, now, deadline)
            try:
                self._pool.send(slot, tid, fut.arch, fut.metric)
            except TypeError as exc:  # the architecture cannot be pickled: no retry
                del self._running[slot]
                self._idle.append(slot)
                self.stats["failures"] += 1
                self._finish(tid, math.nan, str(exc), now)

    def _step(self, block: float) -> None:
        """Dispatch, wait up to ``block`` seconds for events, handle them and timeouts."""
        if self._pool is None:
            raise RuntimeError("the pool was closed while evaluations were pending")
        self._dispatch()
        now = time.monotonic()
        if not self._idle and not self._running:
            if now - self._last_progress > self.START_TIMEOUT:
                self.close()
                raise RuntimeError(
                    f"no {self.backend} worker became ready within {self.START_TIMEOUT} s "
                    "(not enough free resources for num_cpus/num_gpus_per_worker?)"
                )
        soonest = min((d for _, _, d in self._running.values()), default=math.inf)
        self._handle(self._pool.wait(max(0.0, min(block, soonest - now))))
        now = time.monotonic()
        for slot, (tid, t0, deadline) in list(self._running.items()):
            if now >= deadline:
                del self._running[slot]
                self._restart(slot)
                self._attempt_failed(tid, f"TimeoutError: no result within {self.timeout} s", t0)
        self._dispatch()

    def _handle(self, events: list[Event]) -> None:
        for slot, kind, tid, payload in events:
            if kind == "init_error":
                self.close()
                raise RuntimeError(f"a {self.backend} worker could not load the fitness: {payload}")
            self._last_progress = time.monotonic()
            if kind == "ready":
                self.worker_pids[slot] = payload
                self._starting.discard(slot)
                self._start_failures.pop(slot, None)
                self._idle.append(slot)
                continue
            run = self._running.pop(slot, None)
            if kind == "died":
                self._died(slot, payload)
                if run is not None:
                    self._attempt_failed(run[0], f"WorkerDied: {payload}", run[1])
            elif run is not None and run[0] == tid:
                self._idle.append(slot)
                if kind == "ok":
                    self._finish(tid, float(payload), None, run[1])
                else:
                    self._attempt_failed(tid, str(payload), run[1])

    def _died(self, slot: int, message: str) -> None:
        if slot in self._starting:
            fails = self._start_failures[slot] = self._start_failures.get(slot, 0) + 1
            if fails > 3:
                self.close()
                hint = (
                    " (a script using the process backend must guard its code with "
                    "`if __name__ == '__main__':`, since workers import the main module)"
                    if self.backend == "process"
                    else ""
                )
                raise RuntimeError(
                    f"a {self.backend} worker died {fails} times while starting: {message}{hint}"
                )
        self._restart(slot)

    def _restart(self, slot: int) -> None:
        self.stats["worker_restarts"] += 1
        if slot in self._idle:
            self._idle.remove(slot)
        self._start_slot(slot)

    def _attempt_failed(self, tid: int, message: str, t0: float) -> None:
        fut = self._tasks[tid]
        if fut.attempts <= self.max_retries:
            self.stats["retries"] += 1
            self.stats["busy_seconds"] += time.monotonic() - t0
            self._queue.appendleft(tid)
            return
        self.stats["failures"] += 1
        self._finish(tid, math.nan, f"{message} (after {fut.attempts} attempts)", t0)

    def _finish(self, tid: int, value: float, error: str | None, t0: float) -> None:
        fut = self._tasks.pop(tid)
        fut.seconds = time.monotonic() - t0
        self.stats["busy_seconds"] += fut.seconds
        fut._value, fut._error, fut._done = value, error, True
        if error is not None:
            self.errors[arch_key(fut.arch)] = error
        if self.on_result is not None:
            self.on_result(fut.arch, value, error)


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
    num_workers, backend, address, num_gpus, max_retries, timeout, num_cpus, start_method, lanes
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
    if isinstance(lanes, bool) or not isinstance(lanes, int) or lanes < 1:
        raise ValueError(f"concurrency_per_actor must be an int >= 1; got {lanes!r}")
    if lanes > 1 and backend != "ray":
        raise ValueError("concurrency_per_actor > 1 is for backend='ray' only")


def pickle_check(fitness: Any, backend: str) -> bytes:
    """Pickle the fitness now, so that an unpicklable one fails before any work starts."""
    try:
        if backend == "process":
            return pickle.dumps(fitness, protocol=pickle.HIGHEST_PROTOCOL)
        from ray import cloudpickle  # Ray serialises with cloudpickle (lambdas work)

        cloudpickle.dumps(fitness)
        return b""
    except ImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - pickling raises many types
        hint = (
            " Define the function or class at module level (a lambda or a local function "
            "cannot be sent to a spawned process), or use backend='ray'."
            if backend == "process"
            else ""
        )
        raise TypeError(
            f"ParallelFitness(backend={backend!r}) needs a picklable fitness; "
            f"{fitness!r} is not ({type(exc).__name__}: {exc}).{hint}"
        ) from None
