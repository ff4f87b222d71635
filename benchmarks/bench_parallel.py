"""Parallel fitness evaluation (ParallelFitness): three measurements printed in one run.

1. ``train``: real training of random NAS-Bench-201 cells on the digits task
   (``TrainingFitness("digits_all")``), one generation = ``--pop`` cells, sequential in
   this process vs 1 and 2 workers on the process and Ray backends: wall time per
   generation, speedup of 2 workers over 1 (ideal 2 on a 2-core machine), and a check
   that every configuration returns the same values bit for bit.
2. ``sim``: a simulated fitness that sleeps a known, log-normal time per architecture
   (median ``--median`` s, log-sd ``--sigma``), at 2, 8, 32 and 128 workers on local Ray
   (at most 8 actor processes; more workers run as threads inside them, each actor
   reserving a fraction of the 2 CPUs). Synchronous generations of ``2 * workers``
   evaluations vs the asynchronous steady-state loop (``steady_state``) running the same
   evaluations: wall time per generation against the ideal (total sleep / workers) and
   worker utilisation (total sleep / (workers * wall)).
3. ``overhead``: per-evaluation cost of the Ray path (and the process path) with a
   zero-cost fitness: throughput of one large batch on 2 workers and the round-trip time
   of a one-architecture call, against calling the fitness in this process.

    OMP_NUM_THREADS=1 python benchmarks/bench_parallel.py --write docs/results_parallel.md
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import zlib
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _nas_common import git_rev, machine, md_table, print_table, update_section  # noqa: E402

from ednag_opt.fitness import FitnessSource, ParallelFitness, steady_state  # noqa: E402
from ednag_opt.fitness._parallel_backends import ensure_ray  # noqa: E402
from ednag_opt.fitness.training import TrainingFitness  # noqa: E402
from ednag_opt.training.archs import NB201_OPS, nb201_string  # noqa: E402


class SleepFitness(FitnessSource):
    """Sleeps a log-normal time drawn from the architecture's name; the value is that time."""

    name = "sleep"

    def __init__(self, median: float, sigma: float, seed: int = 0) -> None:
        self.median, self.sigma, self.seed = median, sigma, seed

    def duration(self, arch: object) -> float:
        rng = np.random.default_rng([self.seed, zlib.crc32(str(arch).encode())])
        return self.median * math.exp(self.sigma * rng.standard_normal())

    def __call__(self, archs):
        out = []
        for a in archs:
            d = self.duration(a)
            time.sleep(d)
            out.append(d)
        return torch.tensor(out, dtype=torch.float64)


class ZeroFitness(FitnessSource):
    """Costs nothing: the per-evaluation overhead of a pool is all that is measured."""

    name = "zero"

    def __call__(self, archs):
        return torch.zeros(len(archs), dtype=torch.float64)


def random_cells(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    return [nb201_string(rng.integers(0, len(NB201_OPS), 6).tolist()) for _ in range(n)]


def load() -> str:
    return "load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


# ----------------------------------------------------------------------------- 1. training
def start_train_pools(args, fit: TrainingFitness) -> dict[tuple[str, int], object]:
    """The in-process source and every started pool, by (backend, workers)."""
    runs: dict[tuple[str, int], object] = {
        ("in-process", 1): TrainingFitness(
            "digits_all", epochs=args.epochs, C=args.C, device=args.device
        )
    }
    # All pools live at once (used in turn): Ray actors share the CPUs they reserve.
    import ray

    cpus = min(1.0, ray.cluster_resources().get("CPU", 1) / sum(args.train_workers))
    for backend in args.backends:
        for workers in args.train_workers:
            t0 = time.perf_counter()
            opts = dict(num_gpus_per_worker=args.gpus_per_worker)
            if backend == "ray":
                opts["num_cpus_per_worker"] = cpus
            runs[(backend, workers)] = ParallelFitness(fit, workers, backend, **opts).start()
            print(f"  {backend} x{workers}: started in {time.perf_counter() - t0:.1f} s")
    return runs


def bench_train(args) -> str:
    """Configurations interleaved generation by generation (rotating their order), so
    that a change of the machine's load hits them all; ratios are paired per generation."""
    fit = TrainingFitness("digits_all", epochs=args.epochs, C=args.C, device=args.device)
    runs = start_train_pools(args, fit)
    keys = list(runs)
    times: dict = {k: [] for k in keys}
    values: dict = {k: [] for k in keys}
    cores: dict = {k: [] for k in keys}  # CPU seconds of the evaluating processes / wall
    for g in range(args.gens):
        cells = random_cells(args.pop, 1000 + g)
        for k in keys[g % len(keys) :] + keys[: g % len(keys)]:
            c0, t0 = cpu_seconds(runs[k]), time.perf_counter()
            values[k] += runs[k](cells).tolist()
            times[k].append(time.perf_counter() - t0)
            cores[k].append((cpu_seconds(runs[k]) - c0) / times[k][-1])
        print(
            f"  generation {g}: " + ", ".join(f"{k[0]} x{k[1]} {times[k][-1]:.1f} s" for k in keys)
        )
    for run in runs.values():
        if isinstance(run, ParallelFitness):
            run.close()
    base = times[("in-process", 1)]
    rows = []
    for label, workers in keys:
        t = times[(label, workers)]
        one = times.get((label, 1), t)
        same = values[(label, workers)] == values[("in-process", 1)]
        rows.append(
            [
                label,
                str(workers),
                f"{statistics.median(t):.2f}",
                ratio(one, t) if workers > 1 else "1 (baseline)",
                ratio(base, t),
                f"{statistics.median(cores[(label, workers)]):.2f}",
                "yes" if same else "NO",
            ]
        )
    header = ["backend", "workers", "s / generation (median)", "speedup vs 1 worker"]
    header += ["speedup vs in-process", "cores obtained", "values identical"]
    print_table("real training", header, rows)
    head = (
        f"{args.gens} generations of {args.pop} random NB201 cells, TrainingFitness"
        f"('digits_all', epochs={args.epochs}, C={args.C}), one torch thread per worker; "
        "configurations interleaved; speedups are medians of per-generation ratios "
        "[min, max]; cores obtained = CPU seconds of the evaluating processes (this one, or "
        f"the workers) per wall second, median; {load()} at the end.\n\n"
    )
    return head + md_table(header, rows)


def cpu_seconds(run: object) -> float:
    """CPU time (user + system) used so far by the processes that evaluate for ``run``:
    this process for an in-process source, else the pool's local workers."""
    if not isinstance(run, ParallelFitness):
        return time.process_time()
    total = 0.0
    for pid in run.worker_pids.values():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # exited, or not on this machine
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def ratio(num: list[float], den: list[float]) -> str:
    """Median [min, max] of paired ratios num[g] / den[g]."""
    r = [a / b for a, b in zip(num, den)]
    return f"{statistics.median(r):.2f} [{min(r):.2f}, {max(r):.2f}]"


# ----------------------------------------------------------------------------- 2. simulation
def sim_pool(workers: int, fit: SleepFitness) -> ParallelFitness:
    actors = min(workers, 8)
    return ParallelFitness(
        fit,
        workers,
        backend="ray",
        num_cpus_per_worker=2 / actors,
        concurrency_per_actor=workers // actors,
        threads_per_worker=1,
    )


def run_sync(pool: ParallelFitness, fit: SleepFitness, gens: list[list[str]]):
    walls, works = [], []
    for names in gens:
        t0 = time.perf_counter()
        pool(names)
        walls.append(time.perf_counter() - t0)
        works.append(sum(fit.duration(a) for a in names))
    return sum(walls), sum(works)


def run_steady(pool: ParallelFitness, fit: SleepFitness, gens: list[list[str]]):
    names = iter([a for g in gens for a in g])
    n = sum(len(g) for g in gens)
    t0 = time.perf_counter()
    steady_state(pool, lambda k: [next(names) for _ in range(k)], lambda a, v: None, n)
    wall = time.perf_counter() - t0
    return wall, sum(fit.duration(a) for g in gens for a in g)


def bench_sim(args) -> str:
    fit = SleepFitness(args.median, args.sigma, seed=0)
    rows = []
    for workers in args.sim_workers:
        gens = [[f"w{workers}-g{g}-{i}" for i in range(2 * workers)] for g in range(args.sim_gens)]
        t0 = time.perf_counter()
        pool = sim_pool(workers, fit).start()
        started = time.perf_counter() - t0
        for mode, runner in (("synchronous", run_sync), ("steady state", run_steady)):
            wall, work = runner(pool, fit, gens)
            g = len(gens)
            ideal = work / workers / g
            rows.append(
                [
                    str(workers),
                    mode,
                    f"{wall / g:.2f}",
                    f"{ideal:.2f}",
                    f"{wall / g / ideal:.2f}",
                    f"{100 * work / (workers * wall):.0f}%",
                ]
            )
            print(f"  {workers} workers, {mode}: {rows[-1][2]} s/gen ({load()})")
        pool.close()
        print(f"  ({workers} workers started in {started:.1f} s)")
    header = ["workers", "driver", "s / generation", "ideal", "ratio to ideal", "utilisation"]
    print_table("heterogeneous durations, local Ray", header, rows)
    head = (
        f"Sleep times log-normal, median {args.median} s, log-sd {args.sigma} "
        f"(mean {args.median * math.exp(args.sigma**2 / 2):.2f} s); {args.sim_gens} "
        f"generations of 2 x workers evaluations; ideal = total sleep / workers; "
        f"{load()} at the end.\n\n"
    )
    return head + md_table(header, rows)


# ----------------------------------------------------------------------------- 3. overhead
def bench_overhead(args) -> str:
    fit, n = ZeroFitness(), args.overhead_n
    t0 = time.perf_counter()
    for i in range(n):
        fit([f"a{i}"])
    rows = [["in-process call", "-", f"{1e3 * (time.perf_counter() - t0) / n:.3f}", "-"]]
    for backend in ("process", "ray"):
        pool = ParallelFitness(fit, 2, backend=backend).start()
        pool([f"warm{i}" for i in range(50)])
        t0 = time.perf_counter()
        pool([f"b{i}" for i in range(n)])
        batch = 1e3 * (time.perf_counter() - t0) / n
        lat = []
        for i in range(50):
            t0 = time.perf_counter()
            pool([f"c{i}"])
            lat.append(1e3 * (time.perf_counter() - t0))
        pool.close()
        rows.append([backend, "2", f"{batch:.3f}", f"{statistics.median(lat):.2f}"])
    header = ["path", "workers", f"ms / evaluation in a batch of {n}", "ms per 1-arch call"]
    print_table("per-evaluation overhead (zero-cost fitness)", header, rows)
    return f"{load()} at the end.\n\n" + md_table(header, rows)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--parts", default="train,sim,overhead")
    p.add_argument("--pop", type=int, default=8, help="cells per training generation")
    p.add_argument("--gens", type=int, default=3, help="training generations")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--C", type=int, default=16)
    p.add_argument("--train-workers", default="1,2")
    p.add_argument("--device", default="cpu", help="training device ('cuda' on GPU nodes)")
    p.add_argument("--gpus-per-worker", type=float, default=0.0)
    p.add_argument("--backends", default="process,ray")
    p.add_argument("--ray-address", default=None, help="join this Ray cluster ('auto')")
    p.add_argument("--sim-workers", default="2,8,32,128")
    p.add_argument("--sim-gens", type=int, default=5)
    p.add_argument("--median", type=float, default=0.2)
    p.add_argument("--sigma", type=float, default=1.0)
    p.add_argument("--overhead-n", type=int, default=2000)
    p.add_argument("--write", type=Path, default=None, help="update sections of this file")
    args = p.parse_args(argv)
    args.sim_workers = [int(w) for w in args.sim_workers.split(",")]
    args.train_workers = [int(w) for w in args.train_workers.split(",")]
    args.backends = args.backends.split(",")
    torch.set_num_threads(1)
    if args.ray_address is None:
        ensure_ray(None, {"num_cpus": 2, "log_to_driver": False})
    else:
        ensure_ray(args.ray_address, None)
    rev = git_rev()  # once: other commits may land during a long run
    print(f"{machine()}; git {rev}; {load()}")
    parts = {"train": bench_train, "sim": bench_sim, "overhead": bench_overhead}
    for name in args.parts.split(","):
        print(f"== {name}")
        text = parts[name](args)
        if args.write is not None:
            cmd = "python benchmarks/bench_parallel.py " + " ".join(argv or sys.argv[1:])
            text = f"`{cmd}` ({machine()}; git {rev})\n\n{text}"
            update_section(args.write, f"parallel-{name}", text)


if __name__ == "__main__":
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    main()
