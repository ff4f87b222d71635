"""ParallelFitness on a process pool and on a local Ray instance (ray.init(num_cpus=2)).

One pool per backend serves the whole module (starting workers costs seconds); the
fitness below behaves by architecture name, so one pool can train, fail, die and hang.
"""

from __future__ import annotations

import math
import os
import signal
import threading
import time
import zlib
from pathlib import Path

import pytest
import torch

from ednag_opt.fitness import CachedFitness, FitnessSource, ParallelFitness, steady_state
from ednag_opt.fitness.training import TrainingFitness

CELLS = [
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|",
    "|nor_conv_1x1~0|+|skip_connect~0|nor_conv_3x3~1|+|avg_pool_3x3~0|none~1|nor_conv_3x3~2|",
    "|avg_pool_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|nor_conv_1x1~0|nor_conv_1x1~1|none~2|",
]


def plain_value(name: str) -> float:
    """Deterministic value of a non-NB201 name."""
    return (zlib.crc32(name.encode()) % 1000) / 1000


class Scripted(FitnessSource):
    """Trains NB201 cells on digits; other names: ``die-*`` exits the worker on its first
    call (a marker file remembers it), ``dieall-*`` always, ``fail-*`` raises, ``hang-*``
    sleeps a minute, ``sleep:<s>`` sleeps s seconds; anything else gets a fixed value."""

    name = "scripted"

    def __init__(self, marker_dir: str) -> None:
        self.marker_dir = marker_dir
        self.trainer = TrainingFitness("digits_all", epochs=1, min_steps=8)

    def __call__(self, archs):
        return torch.tensor([self._one(str(a)) for a in archs], dtype=torch.float64)

    def _one(self, s: str) -> float:
        if s.startswith("|"):
            return float(self.trainer([s])[0])
        if s.startswith("dieall"):
            os._exit(9)
        if s.startswith("die"):
            marker = Path(self.marker_dir, s)
            if not marker.exists():
                marker.touch()
                os._exit(7)
        if s.startswith("fail"):
            raise ValueError(f"cannot evaluate {s}")
        if s.startswith("hang"):
            time.sleep(60)
        if s.startswith("sleep:"):
            time.sleep(float(s.split(":")[1]))
        return plain_value(s)


class HashFit(FitnessSource):
    """A cheap deterministic value per architecture; the first call that finds the file
    ``kill-next`` in ``marker_dir`` removes it and kills its process (mid-batch)."""

    name = "hash"

    def __init__(self, marker_dir: str) -> None:
        self.marker_dir = marker_dir

    def __call__(self, archs):
        try:
            Path(self.marker_dir, "kill-next").unlink()
        except FileNotFoundError:
            return torch.tensor([plain_value(str(a)) for a in archs], dtype=torch.float64)
        os._exit(5)


class BrokenOnLoad(FitnessSource):
    """Pickles fine here, fails when a worker unpickles it."""

    def __init__(self) -> None:
        self.state = 1

    def __call__(self, archs):
        return torch.zeros(len(archs), dtype=torch.float64)

    def __setstate__(self, state):
        raise RuntimeError("cannot load me")


@pytest.fixture(scope="module")
def marker_dir(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("markers"))


@pytest.fixture(scope="module")
def reference(marker_dir) -> list[float]:
    """Sequential, in-process values of CELLS with one torch thread."""
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        return Scripted(marker_dir)(CELLS).tolist()
    finally:
        torch.set_num_threads(n)


@pytest.fixture(scope="module")
def ray_session():
    """A local Ray instance with 2 CPUs for this module; fails (no hang) if it won't start."""
    ray = pytest.importorskip("ray")
    from ednag_opt.fitness._parallel_backends import ensure_ray

    def alarm(signum, frame):
        raise TimeoutError("Ray did not start within 120 s")

    previous = signal.signal(signal.SIGALRM, alarm)  # ray.init must run in the main thread
    signal.alarm(120)
    try:
        ensure_ray(None, {"num_cpus": 2, "log_to_driver": False})
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module", params=["process", "ray"])
def pool(request, marker_dir):
    """A started 2-worker pool of Scripted on each backend."""
    if request.param == "ray":
        request.getfixturevalue("ray_session")
    pf = ParallelFitness(Scripted(marker_dir), 2, backend=request.param, max_retries=2)
    pf.start()
    yield pf
    pf.close()


def test_results_identical_to_sequential(pool, reference):
    out = pool(CELLS)
    assert torch.equal(out, torch.tensor(reference, dtype=torch.float64))
    assert pool.last_errors == [None] * len(CELLS)
    rev = pool(CELLS[::-1] + [CELLS[0]])  # order kept, repeats evaluated once
    assert rev.tolist() == reference[::-1] + [reference[0]]


def test_workers_run_concurrently(pool):
    naps = [f"sleep:1.5{'0' * i}" for i in range(2)]  # two distinct 1.5 s sleeps
    t0 = time.monotonic()
    assert pool(naps).tolist() == [plain_value(a) for a in naps]
    assert time.monotonic() - t0 < 2.9


def test_one_worker_gives_the_same_bits(marker_dir, reference):
    with ParallelFitness(Scripted(marker_dir), 1, backend="process") as pf:
        assert pf(CELLS).tolist() == reference


def test_killed_worker_is_retried_and_nothing_is_lost(pool):
    tag = pool.backend
    cache = CachedFitness(pool)
    seen: list[str] = []
    pool.on_result = lambda arch, value, error: seen.append(str(arch))
    try:
        batches = [[f"a-{tag}", f"b-{tag}"], [f"c-{tag}", f"die-{tag}", f"d-{tag}"], [f"e-{tag}"]]
        before = pool.stats["worker_restarts"]
        for batch in batches:
            cache(batch)
    finally:
        pool.on_result = None
    names = [a for b in batches for a in b]
    assert [k for k, _ in cache.history] == names
    assert [v for _, v in cache.history] == [plain_value(a) for a in names]
    assert cache.errors == {}
    assert pool.stats["worker_restarts"] > before
    assert sorted(seen) == sorted(names)


def test_search_survives_a_killed_worker_bit_identically(marker_dir):
    """A whole EDNAG search through a process pool whose worker is killed mid-batch gives
    the sequential search's queries and values, with nothing lost or re-queried."""
    from ednag_opt import search

    opts = dict(max_queries=24, seed=0, popsize=8)
    ref = search("ednag", "nas-bench-201", HashFit(marker_dir), **opts)
    Path(marker_dir, "kill-next").touch()
    with ParallelFitness(HashFit(marker_dir), 2, backend="process") as pf:
        cache = CachedFitness(pf)
        res = search("ednag", "nas-bench-201", cache, **opts)
        assert pf.stats["worker_restarts"] >= 1 and pf.stats["retries"] >= 1
    assert not Path(marker_dir, "kill-next").exists() and cache.errors == {}
    assert [(str(a), v) for a, v in res.queries] == [(str(a), v) for a, v in ref.queries]
    assert res.unique_queries == 24 and res.best_fitness == ref.best_fitness


def test_always_failing_fitness_gives_nan_and_an_error(pool):
    cache = CachedFitness(pool)
    name = f"fail-{pool.backend}"
    out = cache([name, f"ok-{pool.backend}"])
    assert math.isnan(out[0]) and out[1] == plain_value(f"ok-{pool.backend}")
    assert "ValueError: cannot evaluate" in cache.errors[name]
    assert "after 3 attempts" in pool.errors[name]  # max_retries=2
    assert cache.history[0][0] == name and math.isnan(cache.history[0][1])


def test_worker_dying_every_time_gives_nan(pool):
    pool.max_retries = 0
    try:
        out = pool([f"dieall-{pool.backend}", "fine"])
    finally:
        pool.max_retries = 2
    assert math.isnan(out[0]) and out[1] == plain_value("fine")
    assert pool.last_errors[0].startswith("WorkerDied") and pool.last_errors[1] is None


def test_timeout_kills_the_worker_and_the_pool_goes_on(pool):
    pool.timeout, pool.max_retries = 2.0, 0
    try:
        t0 = time.monotonic()
        out = pool([f"hang-{pool.backend}", f"quick-{pool.backend}"])
        assert time.monotonic() - t0 < 40
    finally:
        pool.timeout, pool.max_retries = None, 2
    assert math.isnan(out[0]) and out[1] == plain_value(f"quick-{pool.backend}")
    assert pool.last_errors[0].startswith("TimeoutError")
    assert pool([f"after-{pool.backend}"]).tolist() == [plain_value(f"after-{pool.backend}")]


def test_async_api_and_steady_state(pool):
    names = [f"sleep:0.{k}" for k in (3, 1, 2)]
    order = [i for i, _ in pool.evaluate_unordered(names)]
    assert sorted(order) == [0, 1, 2]
    futures = pool.submit(["x1", "x2"])
    assert [f.result(timeout=60) for f in futures] == [plain_value("x1"), plain_value("x2")]

    todo = iter(f"s{i}" for i in range(7))
    told: dict[str, float] = {}
    n = steady_state(
        pool, lambda k: [next(todo) for _ in range(k)], lambda a, v: told.update({a: v}), 7
    )
    assert n == 7 and told == {f"s{i}": plain_value(f"s{i}") for i in range(7)}
    assert pool.in_flight == 0


class Unsendable:
    """An architecture that cannot be pickled."""

    def __init__(self) -> None:
        self.lock = threading.Lock()

    def __str__(self) -> str:
        return "unsendable"


def test_unpicklable_architecture_gets_nan_and_an_error(pool):
    out = pool(["sendable", Unsendable()])
    assert out[0] == plain_value("sendable") and math.isnan(out[1])
    assert "cannot send architecture" in pool.last_errors[1]


def test_unpicklable_fitness_fails_before_any_work():
    with pytest.raises(TypeError, match="picklable"):
        ParallelFitness(lambda archs: [0.0] * len(archs), 2, backend="process")


def test_worker_that_cannot_load_the_fitness():
    pf = ParallelFitness(BrokenOnLoad(), 1, backend="process")
    with pytest.raises(RuntimeError, match="could not load the fitness.*cannot load me"):
        pf(["a"])


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(backend="dask"), "backend"),
        (dict(num_workers=0), "num_workers"),
        (dict(address="auto"), "address"),
        (dict(max_retries=-1), "max_retries"),
        (dict(timeout=0), "timeout"),
        (dict(num_gpus_per_worker=-1), "num_gpus_per_worker"),
        (dict(start_method="fork"), "start_method"),
    ],
)
def test_bad_arguments(kwargs, match, marker_dir):
    with pytest.raises(ValueError, match=match):
        ParallelFitness(Scripted(marker_dir), **kwargs)


def test_forwarded_attributes(marker_dir):
    pf = ParallelFitness(Scripted(marker_dir), 2)
    assert (pf.name, pf.maximize, pf.num_workers, pf.backend) == ("scripted", True, 2, "process")
    with pytest.raises(TypeError, match="decode"):
        pf(torch.zeros(2, 6))


def test_ray_lanes_share_an_actor_and_survive_its_death(ray_session, marker_dir):
    """concurrency_per_actor=2: two evaluations run at once in one actor process; when it
    dies, the evaluations it was running are retried on its replacement."""
    with ParallelFitness(
        Scripted(marker_dir), 2, backend="ray", num_cpus_per_worker=0, concurrency_per_actor=2
    ) as pf:
        pf.start()
        t0 = time.monotonic()
        naps = ["sleep:1.5", "sleep:1.50"]
        assert pf(naps).tolist() == [plain_value(a) for a in naps]
        assert time.monotonic() - t0 < 2.9  # concurrent, not 3 s in a row
        names = [f"lane{i}" for i in range(5)] + ["die-lanes"]
        assert pf(names).tolist() == [plain_value(a) for a in names]
        assert pf.last_errors == [None] * 6 and pf.stats["worker_restarts"] >= 1
