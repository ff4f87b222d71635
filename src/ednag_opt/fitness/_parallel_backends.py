"""Worker pools behind :class:`~ednag_opt.fitness.parallel.ParallelFitness`.

A backend owns ``num_workers`` *slots*; each slot is one worker (a spawned process, or a
Ray actor) that holds its own copy of the fitness source and evaluates one architecture at
a time. The scheduler in ``parallel.py`` talks to a backend through five calls:

- ``start_slot(slot)``: start (or restart) the worker of ``slot``; it reports ``ready``;
- ``send(slot, tid, arch, metric)``: evaluate one architecture on an idle, ready slot;
- ``wait(timeout)``: block up to ``timeout`` seconds and return the events that arrived,
  as ``(slot, kind, tid, payload)`` with ``kind`` one of ``"ready"`` (payload: the
  worker's pid), ``"init_error"`` (the worker could not load the fitness), ``"ok"``
  (payload: the value), ``"error"`` (the fitness raised; payload: the message) and
  ``"died"`` (the worker is gone; payload: what is known);
- ``kill_slot(slot)``: stop a worker at once (hung or dead);
- ``close()``: stop every worker.
"""

from __future__ import annotations

import math
import multiprocessing as mp
import os
import pickle
import signal
import sys
import time
import traceback
from multiprocessing.connection import Connection
from multiprocessing.connection import wait as mp_wait
from typing import Any

__all__ = ["ProcessBackend", "RayBackend", "evaluate_one", "describe_exception", "Event"]

Event = tuple[int, str, int, Any]


def describe_exception(exc: BaseException) -> str:
    """``"TypeName: message"`` plus the last frame of the traceback, for error records."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" (at {tb[-1].filename}:{tb[-1].lineno})" if tb else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _set_threads(threads: int | None) -> None:
    """Fix torch's intra-op threads in a worker (results must not depend on the pool)."""
    if threads is None:
        return
    os.environ.setdefault("OMP_NUM_THREADS", str(threads))
    torch = sys.modules.get("torch")
    if torch is not None:
        torch.set_num_threads(threads)


def evaluate_one(fitness: Any, arch: Any, metric: str | None) -> tuple[str, Any]:
    """Evaluate one architecture in a worker: ``("ok", float)`` or ``("error", message)``.

    Exceptions (``SystemExit`` included) become an error record; only
    ``KeyboardInterrupt`` propagates.
    """
    from ednag_opt.fitness.base import to_fitness_tensor

    try:
        out = fitness([arch]) if metric is None else fitness.query([arch], metric)
        return "ok", float(to_fitness_tensor(out, 1, who="fitness")[0])
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - every failure is recorded, not raised
        return "error", describe_exception(exc)


# -- process backend ---------------------------------------------------------------------
def _process_main(conn: Connection, payload: bytes, threads: int | None, env: dict) -> None:
    """Body of one worker process: load the fitness, then serve ``(tid, arch, metric)``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the driver handles Ctrl-C and stops us
    os.environ.update(env)
    try:
        fitness = pickle.loads(payload)
        _set_threads(threads)
    except BaseException as exc:  # noqa: BLE001
        conn.send(("init_error", -1, describe_exception(exc)))
        return
    conn.send(("ready", -1, os.getpid()))
    while True:
        try:
            msg = conn.recv()
        except (EOFError, OSError):
            return
        if msg is None:
            return
        tid, arch, metric = msg
        kind, value = evaluate_one(fitness, arch, metric)
        conn.send((kind, tid, value))


def gpu_env(slot: int, num_gpus: float) -> dict[str, str]:
    """``CUDA_VISIBLE_DEVICES`` of worker ``slot`` when each worker gets ``num_gpus`` GPUs.

    Workers take consecutive devices round-robin; a fraction shares a device between
    ``1 / num_gpus`` workers.

    Raises:
        ValueError: If GPUs are requested but none is visible.
    """
    if num_gpus <= 0:
        return {}
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    if visible is not None:
        ids = [s for s in visible.split(",") if s.strip()]
    else:
        import torch

        ids = [str(i) for i in range(torch.cuda.device_count())]
    if not ids:
        raise ValueError("num_gpus_per_worker > 0 but no CUDA device is visible")
    start, count = int(slot * num_gpus), max(1, math.ceil(num_gpus))
    return {"CUDA_VISIBLE_DEVICES": ",".join(ids[(start + j) % len(ids)] for j in range(count))}


class ProcessBackend:
    """Worker processes on this machine, one pipe each (``spawn`` start method by default).

    Args:
        payload: The pickled fitness source.
        threads: torch threads per worker (``None``: leave as is).
        num_gpus: GPUs per worker (sets ``CUDA_VISIBLE_DEVICES`` per worker).
        context: multiprocessing start method; ``"spawn"`` or ``"forkserver"`` (``fork``
            is unsafe once torch has started threads).
    """

    def __init__(
        self, payload: bytes, threads: int | None, num_gpus: float, context: str = "spawn"
    ) -> None:
        self._ctx = mp.get_context(context)
        self._payload = payload
        self._threads = threads
        self._num_gpus = num_gpus
        self._procs: dict[int, Any] = {}
        self._conns: dict[int, Connection] = {}

    def start_slot(self, slot: int) -> None:
        """Start the worker process of ``slot`` (replacing a previous one)."""
        self.kill_slot(slot)
        parent, child = self._ctx.Pipe(duplex=True)
        args = (child, self._payload, self._threads, gpu_env(slot, self._num_gpus))
        proc = self._ctx.Process(target=_process_main, args=args, name=f"ednag-worker-{slot}")
        proc.start()
        child.close()
        self._procs[slot], self._conns[slot] = proc, parent

    def send(self, slot: int, tid: int, arch: Any, metric: str | None) -> None:
        """Send one architecture to an idle worker (a dead one shows up in :meth:`wait`).

        Raises:
            TypeError: If the architecture cannot be pickled.
        """
        try:
            self._conns[slot].send((tid, arch, metric))
        except (OSError, ValueError):
            pass  # broken pipe: the worker is gone, wait() reports it
        except Exception as exc:  # noqa: BLE001 - pickling raises many types
            raise TypeError(f"cannot send architecture {arch!r} to a worker: {exc}") from None

    def wait(self, timeout: float | None) -> list[Event]:
        """Events of the workers within ``timeout`` seconds (empty on timeout)."""
        by_obj: dict[Any, int] = {}
        for slot, conn in self._conns.items():
            by_obj[conn] = slot
            by_obj[self._procs[slot].sentinel] = slot
        if not by_obj:
            time.sleep(timeout or 0.0)
            return []
        ready = mp_wait(list(by_obj), timeout)
        events: list[Event] = []
        for slot in sorted({by_obj[obj] for obj in ready}):
            events.extend(self._drain(slot))
        return events

    def _drain(self, slot: int) -> list[Event]:
        conn, proc = self._conns[slot], self._procs[slot]
        events: list[Event] = []
        broken = False
        try:
            while conn.poll():
                kind, tid, payload = conn.recv()
                events.append((slot, kind, tid, payload))
        except (EOFError, OSError):
            broken = True
        if broken or (not events and not proc.is_alive()):
            proc.join(timeout=1.0)
            events.append((slot, "died", -1, f"worker process exited (code {proc.exitcode})"))
            self.kill_slot(slot)
        return events

    def kill_slot(self, slot: int) -> None:
        """Kill the worker of ``slot`` (no-op if there is none)."""
        proc, conn = self._procs.pop(slot, None), self._conns.pop(slot, None)
        if conn is not None:
            conn.close()
        if proc is not None:
            if proc.is_alive():
                proc.kill()
            proc.join(timeout=5.0)

    def close(self) -> None:
        """Ask every worker to stop, then kill the ones that do not within a second."""
        for conn in self._conns.values():
            try:
                conn.send(None)
            except (OSError, ValueError):
                pass
        deadline = time.monotonic() + 1.0
        for proc in self._procs.values():
            proc.join(timeout=max(0.0, deadline - time.monotonic()))
        for slot in list(self._procs):
            self.kill_slot(slot)


# -- Ray backend -------------------------------------------------------------------------
class _RayWorker:
    """Ray actor body: one copy of the fitness, one evaluation at a time."""

    def __init__(self, fitness: Any, threads: int | None) -> None:
        _set_threads(threads)
        self._fitness = fitness

    def ready(self) -> int:
        return os.getpid()

    def evaluate(self, tid: int, arch: Any, metric: str | None) -> tuple[str, int, Any]:
        kind, value = evaluate_one(self._fitness, arch, metric)
        return kind, tid, value


class RayBackend:
    """Ray actors on a local Ray instance or a cluster; ``lanes`` slots share one actor.

    Args:
        fitness: The fitness source (put in the object store once).
        threads: torch threads per worker.
        num_cpus: CPUs each actor reserves (fractions allowed, e.g. for sleeping tasks).
        num_gpus: GPUs each actor reserves (Ray sets ``CUDA_VISIBLE_DEVICES``).
        lanes: Concurrent evaluations per actor (threads; ``max_concurrency``). Slot ``s``
            runs on actor ``s // lanes``; when that actor dies or is killed, every lane's
            running evaluation fails with it.
    """

    def __init__(
        self, fitness: Any, threads: int | None, num_cpus: float, num_gpus: float, lanes: int = 1
    ) -> None:
        import ray

        self._ray = ray
        self._fitness_ref = ray.put(fitness)
        self._threads = threads
        self._lanes = lanes
        self._actor_cls = ray.remote(_RayWorker).options(
            num_cpus=num_cpus,
            num_gpus=num_gpus,
            max_restarts=0,
            max_task_retries=0,
            max_concurrency=lanes,
        )
        self._actors: dict[int, Any] = {}  # actor index -> its live handle
        self._slot_actor: dict[int, Any] = {}  # slot -> the handle it runs on
        self._refs: dict[Any, tuple[int, str]] = {}  # ObjectRef -> (slot, "ready" | "task")

    def start_slot(self, slot: int) -> None:
        """Attach ``slot`` to its live actor, creating the actor if needed."""
        self.kill_slot(slot)
        index = slot // self._lanes
        actor = self._actors.get(index)
        if actor is None:
            actor = self._actors[index] = self._actor_cls.remote(self._fitness_ref, self._threads)
        self._slot_actor[slot] = actor
        self._refs[actor.ready.remote()] = (slot, "ready")

    def send(self, slot: int, tid: int, arch: Any, metric: str | None) -> None:
        """Submit one architecture to the actor of ``slot``.

        Raises:
            TypeError: If the architecture cannot be serialised.
        """
        try:
            ref = self._slot_actor[slot].evaluate.remote(tid, arch, metric)
        except Exception as exc:  # noqa: BLE001 - serialisation raises many types
            raise TypeError(f"cannot send architecture {arch!r} to a worker: {exc}") from None
        self._refs[ref] = (slot, "task")

    def wait(self, timeout: float | None) -> list[Event]:
        """Events of finished calls within ``timeout`` seconds (empty on timeout)."""
        ray = self._ray
        if not self._refs:
            time.sleep(timeout or 0.0)
            return []
        refs = list(self._refs)
        done, _ = ray.wait(refs, num_returns=1, timeout=timeout)
        if done:
            done, _ = ray.wait(refs, num_returns=len(refs), timeout=0)
        events: list[Event] = []
        for ref in done:
            slot, what = self._refs.pop(ref)
            try:
                out = ray.get(ref)
            except ray.exceptions.RayError as exc:  # actor died (or could not start)
                kind = "init_error" if what == "ready" else "died"
                events.append((slot, kind, -1, f"{type(exc).__name__}: {exc}"[:2000]))
                self.kill_slot(slot)
                continue
            events.append((slot, "ready", -1, out) if what == "ready" else (slot, *out))
        return events

    def kill_slot(self, slot: int) -> None:
        """Kill the actor of ``slot`` (unless already replaced); forget the slot's calls."""
        actor = self._slot_actor.pop(slot, None)
        for ref in [r for r, (s, _) in self._refs.items() if s == slot]:
            del self._refs[ref]
        index = slot // self._lanes
        if actor is not None and self._actors.get(index) is actor:
            del self._actors[index]
            if self._ray.is_initialized():  # ray.kill would start a new Ray session
                self._ray.kill(actor, no_restart=True)

    def close(self) -> None:
        """Kill every actor."""
        for slot in list(self._slot_actor):
            self.kill_slot(slot)


def ensure_ray(address: str | None, init_kwargs: dict[str, Any] | None) -> bool:
    """Connect to Ray: reuse a running session, else start or join one.

    Args:
        address: ``None`` starts a local instance; ``"auto"`` or ``"host:port"`` /
            ``"ray://host:port"`` joins an existing cluster.
        init_kwargs: Extra keyword arguments of ``ray.init``.

    Returns:
        Whether this call started the session (and should shut it down).

    Raises:
        ImportError: If Ray is not installed.
    """
    try:
        import ray
    except ImportError as exc:
        raise ImportError(
            "backend='ray' needs Ray: pip install -e '.[ray]' (or pip install 'ray[default]')"
        ) from exc
    if ray.is_initialized():
        return False
    kwargs: dict[str, Any] = {"include_dashboard": False, "log_to_driver": True}
    if address is None:
        # Local workers see the driver's import path (test modules, scripts' folders).
        path = os.pathsep.join(p for p in sys.path if p)
        kwargs["runtime_env"] = {"env_vars": {"PYTHONPATH": path}}
    else:
        kwargs["address"] = address
        kwargs.pop("include_dashboard")
    kwargs.update(init_kwargs or {})
    ray.init(**kwargs)
    return True


def ray_default_workers(num_cpus: float, num_gpus: float) -> int:
    import ray

    res = ray.cluster_resources()
    n = res.get("CPU", 1) / num_cpus if num_cpus > 0 else res.get("CPU", 1)
    if num_gpus > 0:
        n = min(n, res.get("GPU", 0) / num_gpus)
    return max(1, int(n))


def close_pool(pool: Any, owns_ray: bool) -> None:
    pool.close()
    if owns_ray:
        import ray

        ray.shutdown()
