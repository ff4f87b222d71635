"""Evaluate a batch of architectures across worker processes or Ray actors.

:class:`ParallelFitness` wraps any fitness source. Each worker holds its own copy of the
source and evaluates one architecture at a time, so a value never depends on which worker
computed it nor on how many there are: results are bit-identical to evaluating the
architectures one at a time in this process (with the same torch thread count, one by
default). Failed evaluations (the fitness raised, the worker died, or it ran past
``timeout``, then it is replaced) are retried up to ``max_retries`` times, then scored NaN
with the error kept in :attr:`ParallelFitness.errors`.

Besides the batched ``fitness(archs)`` call there is an asynchronous API for keeping
workers busy when evaluation times vary: :meth:`ParallelFitness.submit` returns
:class:`EvalFuture` objects, :meth:`ParallelFitness.as_completed` yields them as they
finish, and :func:`steady_state` runs an asynchronous steady-state loop.
"""

from __future__ import annotations

import math
import os
import time
import weakref
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import torch

from ednag_opt.fitness._parallel_async import (
    EvalFuture,
    Scheduler,
    check_args,
    pickle_check,
    steady_state,
)
from ednag_opt.fitness._parallel_backends import (
    ProcessBackend,
    RayBackend,
    close_pool,
    ensure_ray,
    ray_default_workers,
)
from ednag_opt.fitness.base import FitnessSource, arch_key, as_fitness

__all__ = ["ParallelFitness", "EvalFuture", "steady_state"]


class ParallelFitness(Scheduler, FitnessSource):
    """Evaluate batches of architectures on a pool of workers (processes or Ray actors).

    Args:
        fitness: Any fitness source or callable (wrapped with :func:`as_fitness`); it must
            be picklable (a module-level function or class instance; with the process
            backend, not a lambda or a local function).
        num_workers: Workers in the pool. ``None``: ``os.cpu_count()`` for
            ``"process"``; for ``"ray"``, the cluster's CPUs divided by
            ``num_cpus_per_worker`` (its GPUs divided by ``num_gpus_per_worker`` when GPUs
            are requested).
        backend: ``"process"`` (spawned processes on this machine) or ``"ray"``.
        address: Ray only. ``None`` starts a local Ray instance (unless one is already
            initialised in this process); ``"auto"`` or ``"host:port"`` joins a cluster.
        num_gpus_per_worker: GPUs each worker gets (fractions share a device). Ray
            schedules them; the process backend sets ``CUDA_VISIBLE_DEVICES`` per worker.
        max_retries: Retries of a failed evaluation before it is scored NaN.
        timeout: Seconds one evaluation may take (``None``: no limit); a worker past it
            is killed and replaced.
        num_cpus_per_worker: Ray only: CPUs each actor reserves (e.g. ``1 / 64`` for
            evaluations that mostly wait).
        concurrency_per_actor: Ray only: evaluations one actor process runs at once, in
            threads (for thread-safe evaluations that wait on something else, such as
            remote jobs or simulated sleeps; not ``TrainingFitness``, which seeds torch's
            global generator); the pool has ``num_workers /
            concurrency_per_actor`` actors, and an actor's death or timeout fails all of
            its running evaluations (each is retried).
        threads_per_worker: torch intra-op threads in each worker (``None``: leave the
            default). Fixed so that values do not depend on the pool.
        start_method: Process backend: ``"spawn"`` (default) or ``"forkserver"``.
        ray_init: Extra keyword arguments of ``ray.init`` when this object starts Ray.
        on_result: Called in this process as ``on_result(arch, value, error)`` each time
            an evaluation finishes (error is ``None`` on success): a hook to checkpoint
            results as they arrive.

    Attributes:
        fitness: The wrapped source.
        errors: ``arch_key(arch) -> message`` of every architecture whose evaluation
            failed for good (its value is NaN).
        last_errors: One entry per architecture of the last batch call, the error message
            or ``None``.
        stats: Counters: ``evaluations`` (started attempts), ``retries``, ``failures``
            (NaN results), ``worker_restarts``, ``busy_seconds`` (sum of attempt times).
        worker_pids: Process id of each worker slot's current process (for monitoring).

    Raises:
        ValueError: On a bad argument (named in the message).
        TypeError: If the fitness cannot be pickled for the chosen backend.
        ImportError: If ``backend="ray"`` and Ray is not installed.
    """

    #: Seconds without any ready worker (while work waits) before giving up.
    START_TIMEOUT = 300.0

    def __init__(
        self,
        fitness: FitnessSource | Callable[..., Any],
        num_workers: int | None = None,
        backend: str = "process",
        address: str | None = None,
        num_gpus_per_worker: float = 0,
        max_retries: int = 2,
        timeout: float | None = None,
        *,
        num_cpus_per_worker: float = 1,
        concurrency_per_actor: int = 1,
        threads_per_worker: int | None = 1,
        start_method: str = "spawn",
        ray_init: dict[str, Any] | None = None,
        on_result: Callable[[Any, float, str | None], None] | None = None,
    ) -> None:
        check_args(
            num_workers, backend, address, num_gpus_per_worker, max_retries, timeout,
            num_cpus_per_worker, start_method, concurrency_per_actor,
        )  # fmt: skip
        self.fitness = as_fitness(fitness)
        self.backend, self.address = backend, address
        self.num_gpus_per_worker, self.num_cpus_per_worker = (
            num_gpus_per_worker,
            num_cpus_per_worker,
        )
        self.max_retries, self.timeout = int(max_retries), timeout
        self.threads_per_worker, self.start_method = threads_per_worker, start_method
        self.concurrency_per_actor = concurrency_per_actor
        self.ray_init, self.on_result = ray_init, on_result
        self._payload = pickle_check(self.fitness, backend)
        self._num_workers = num_workers
        self.errors: dict[str, str] = {}
        self.last_errors: list[str | None] = []
        self.worker_pids: dict[int, Any] = {}
        self.stats = dict.fromkeys(("evaluations", "retries", "failures", "worker_restarts"), 0)
        self.stats["busy_seconds"] = 0.0
        self._pool: Any = None
        self._owns_ray = False
        self._reset_scheduler()

    # -- forwarded attributes --------------------------------------------------------------
    @property
    def name(self) -> str:  # type: ignore[override]
        return self.fitness.name

    @property
    def maximize(self) -> bool:  # type: ignore[override]
        return self.fitness.maximize

    @property
    def metrics(self):  # type: ignore[override]
        return self.fitness.metrics

    @property
    def num_workers(self) -> int | None:
        """Workers in the pool (``None`` until started when left to the default)."""
        return self._num_workers

    # -- pool life cycle -------------------------------------------------------------------
    def _reset_scheduler(self) -> None:
        self._tasks: dict[int, EvalFuture] = {}
        self._queue: deque[int] = deque()
        self._idle: list[int] = []
        self._starting: set[int] = set()
        self._running: dict[int, tuple[int, float, float]] = {}  # slot -> (tid, t0, deadline)
        self._start_failures: dict[int, int] = {}
        self._next_tid = 0
        self._last_progress = time.monotonic()

    def start(self, wait: bool = True) -> ParallelFitness:
        """Start the workers (done lazily by the first evaluation otherwise).

        Args:
            wait: Block until every worker has loaded the fitness.

        Returns:
            ``self``.

        Raises:
            RuntimeError: If a worker cannot load the fitness, or ``START_TIMEOUT``
                seconds pass without a worker becoming ready.
        """
        if self._pool is None:
            self._pool = self._make_pool()
            self._finalizer = weakref.finalize(self, close_pool, self._pool, self._owns_ray)
            self._last_progress = time.monotonic()
            for slot in range(self._num_workers or 0):
                self._start_slot(slot)
        while wait and self._starting:
            if time.monotonic() - self._last_progress > self.START_TIMEOUT:
                n, missing = self._num_workers, len(self._starting)
                self.close()
                raise RuntimeError(
                    f"{missing} of {n} {self.backend} workers not ready after "
                    f"{self.START_TIMEOUT} s (not enough free CPUs/GPUs for the request?)"
                )
            self._step(1.0)
        return self

    def _make_pool(self) -> Any:
        if self.backend == "process":
            if self._num_workers is None:
                self._num_workers = os.cpu_count() or 1
            return ProcessBackend(
                self._payload, self.threads_per_worker, self.num_gpus_per_worker, self.start_method
            )
        self._owns_ray = ensure_ray(self.address, self.ray_init)
        if self._num_workers is None:
            self._num_workers = self.concurrency_per_actor * ray_default_workers(
                self.num_cpus_per_worker, self.num_gpus_per_worker
            )
        return RayBackend(
            self.fitness,
            self.threads_per_worker,
            self.num_cpus_per_worker,
            self.num_gpus_per_worker,
            self.concurrency_per_actor,
        )

    def _start_slot(self, slot: int) -> None:
        self._starting.add(slot)
        self._pool.start_slot(slot)

    def close(self) -> None:
        """Stop the workers (and the Ray instance this object started). Pending futures are
        dropped; the object can be used again (it restarts the pool)."""
        if self._pool is not None:
            self._finalizer()
        self._pool, self._owns_ray = None, False
        for fut in self._tasks.values():
            if not fut._done:
                fut._done, fut._error = True, "cancelled: the pool was closed"
        self._reset_scheduler()

    def __enter__(self) -> ParallelFitness:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- asynchronous API ------------------------------------------------------------------
    def submit(self, archs: Iterable[Any], metric: str | None = None) -> list[EvalFuture]:
        """Queue architectures for evaluation and return at once, one future each.

        Workers pick the queued architectures in submission order. Results arrive only
        while this process waits on them (:meth:`EvalFuture.result`, :meth:`as_completed`,
        :meth:`wait`), but the workers keep computing in the meantime.

        Args:
            archs: Architectures (strings or objects whose ``str()`` is the key).
            metric: ``None`` for the fitness, else one of :attr:`metrics`.

        Returns:
            One :class:`EvalFuture` per architecture, in order.
        """
        _no_tensor(archs)
        if self._pool is None:
            self.start(wait=False)
        futures = []
        for arch in archs:
            fut = EvalFuture(self, arch, metric)
            self._tasks[self._next_tid] = fut
            self._queue.append(self._next_tid)
            self._next_tid += 1
            futures.append(fut)
        self._dispatch()
        return futures

    def as_completed(
        self, futures: Iterable[EvalFuture], timeout: float | None = None
    ) -> Iterator[EvalFuture]:
        """Yield ``futures`` as they finish (failed ones too, with NaN and an error).

        Raises:
            TimeoutError: If ``timeout`` seconds pass before all have finished.
        """
        pending = list(futures)
        end = math.inf if timeout is None else time.monotonic() + timeout
        while pending:
            done = [f for f in pending if f._done]
            if done:
                pending = [f for f in pending if not f._done]
                yield from done
                continue
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{len(pending)} evaluations unfinished after {timeout} s")
            self._step(min(left, 5.0))

    def wait(self, futures: Iterable[EvalFuture], timeout: float | None = None) -> None:
        """Block until every future in ``futures`` is done (see :meth:`as_completed`)."""
        for _ in self.as_completed(futures, timeout):
            pass

    def evaluate_unordered(
        self, archs: Sequence[Any], metric: str | None = None
    ) -> Iterator[tuple[int, float]]:
        """Yield ``(index in archs, value)`` in completion order."""
        futures = self.submit(archs, metric)
        index = {id(f): i for i, f in enumerate(futures)}
        for fut in self.as_completed(futures):
            yield index[id(fut)], fut._value

    @property
    def in_flight(self) -> int:
        """Submitted evaluations not finished yet (queued or running)."""
        return len(self._queue) + len(self._running)

    # -- batched API -----------------------------------------------------------------------
    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        """Evaluate a batch in parallel; values in the batch's order (NaN where failed)."""
        return self._batch(archs, None)

    def query(self, archs: Sequence[Any], metric: str | None = None) -> torch.Tensor:
        """The fitness (``None``) or one of :attr:`metrics`, evaluated in parallel."""
        if metric is not None and metric not in self.metrics:
            return self.fitness.query(archs, metric)  # raises the source's KeyError
        return self._batch(archs, metric)

    def _batch(self, archs: Sequence[Any], metric: str | None) -> torch.Tensor:
        _no_tensor(archs)
        archs = list(archs)
        first: dict[str, int] = {}
        for i, a in enumerate(archs):
            first.setdefault(arch_key(a), i)
        uniq = list(first.values())
        futures = dict(zip(uniq, self.submit([archs[i] for i in uniq], metric)))
        self.wait(futures.values())
        picks = [futures[first[arch_key(a)]] for a in archs]
        self.last_errors = [f._error for f in picks]
        return torch.tensor([f._value for f in picks], dtype=torch.float64)

    def __repr__(self) -> str:
        return (
            f"ParallelFitness({self.fitness!r}, num_workers={self._num_workers}, "
            f"backend={self.backend!r})"
        )


def _no_tensor(archs: Any) -> None:
    if isinstance(archs, torch.Tensor):
        raise TypeError("ParallelFitness takes a sequence of architectures; decode tensors first")
