"""Optimizer overhead per generation: ask + tell, the objective excluded.

Compares ``EvolutionaryDDIM`` (torch, CPU) with evosax's ``DiffusionEvolution`` (JAX,
jitted ask/tell, timed with ``block_until_ready``; compile time reported separately) and
pycma's ``CMAEvolutionStrategy`` (popsize N) at several (N, D). Every method is told
precomputed random fitness values, so only the strategy's own work is timed.

Usage::

    python benchmarks/bench_overhead.py                      # default sizes, markdown table
    python benchmarks/bench_overhead.py --reps 50 --json out.json
    python benchmarks/bench_overhead.py --rounds 3           # rows interleaved, 3 rounds
    python benchmarks/bench_overhead.py --profile 256x1000   # where our time goes

Each row also gives the process CPU time per generation: on a shared machine the wall
time includes waiting for a core, the CPU time much less so.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import time
import warnings
from typing import Any

import numpy as np
import torch

from ednag_opt import EvolutionaryDDIM
from ednag_opt.strategy.blackbox import blackbox_config

SIZES = "30x30,256x1000,1024x100"
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "XLA_FLAGS")


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``"30x30,256x1000"`` -> ``[(30, 30), (256, 1000)]``."""
    out = []
    for item in text.split(","):
        n, d = item.lower().split("x")
        out.append((int(n), int(d)))
    return out


def stats(times: list[float], cpu: list[float] | None = None) -> dict[str, Any]:
    """Median, IQR, mean (all in ms), the repetitions, and the median CPU time if given.

    The raw seconds are kept (``times``, ``cpu``) so that rounds can be pooled.
    """
    a = np.asarray(times) * 1e3
    q1, med, q3 = np.percentile(a, [25, 50, 75])
    out = {"median_ms": med, "iqr_ms": q3 - q1, "q1_ms": q1, "q3_ms": q3,
           "mean_ms": float(a.mean()), "reps": len(a), "times": list(times)}  # fmt: skip
    if cpu is not None:
        out["cpu_median_ms"] = float(np.median(cpu)) * 1e3
        out["cpu"] = list(cpu)
    return out


def pool_rounds(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One row from the rounds of a (method, N, D): statistics of all their repetitions,
    the other fields (compile time, ...) from the first round."""
    times = [t for r in rounds for t in r["times"]]
    cpu = [t for r in rounds for t in r["cpu"]] if all("cpu" in r for r in rounds) else None
    return {**rounds[0], **stats(times, cpu), "rounds": len(rounds)}


# ---------------------------------------------------------------------- timers
def make_ours(
    n: int, d: int, steps: int, preset: str, seed: int = 0, device: str = "cpu"
) -> EvolutionaryDDIM:
    """Our strategy with its defaults (``"default"``) or the black-box preset, box bounds."""
    if preset == "blackbox":
        cfg = blackbox_config(d, popsize=n, num_steps=steps)
        return EvolutionaryDDIM(shape=(d,), config=cfg, seed=seed, bounds=(-5, 5), device=device)
    return EvolutionaryDDIM(
        shape=(d,), popsize=n, num_steps=steps, seed=seed, bounds=(-5, 5), device=device
    )


def _sync(device: str) -> None:
    """Wait for the device's queued kernels, so a clock read after it covers them."""
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def time_ours(
    n: int,
    d: int,
    reps: int,
    warmup: int,
    seed: int = 0,
    preset: str = "default",
    device: str = "cpu",
) -> dict[str, Any]:
    """Time ``ask`` + ``tell`` of EvolutionaryDDIM (``preset``, box bounds) per generation.

    On CUDA the device is synchronised before each clock read and the row also gives the
    peak GPU memory (``gpu_peak_mb``, allocated by torch during the timed generations).
    """
    gens = reps + warmup + 1
    es = make_ours(n, d, gens + 1, preset, seed, device)
    fits = torch.rand(gens, n, generator=torch.Generator().manual_seed(seed + 1)).to(device)
    es.ask()
    es.tell(fits[0])  # generation 0 only samples x_T: not a steady-state generation
    cuda = device.startswith("cuda")
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    total, ask_t, tell_t, cpu = [], [], [], []
    for g in range(1, gens):
        _sync(device)
        c0, t0 = time.process_time(), time.perf_counter()
        es.ask()
        _sync(device)
        t1 = time.perf_counter()
        es.tell(fits[g])
        _sync(device)
        t2, c2 = time.perf_counter(), time.process_time()
        if g > warmup:
            total.append(t2 - t0)
            ask_t.append(t1 - t0)
            tell_t.append(t2 - t1)
            cpu.append(c2 - c0)
    res = stats(total, cpu)
    res["ask_median_ms"] = stats(ask_t)["median_ms"]
    res["tell_median_ms"] = stats(tell_t)["median_ms"]
    res["device"] = device
    if cuda:
        res["gpu_peak_mb"] = torch.cuda.max_memory_allocated() / 2**20
    return res


def time_evosax(n: int, d: int, reps: int, warmup: int, seed: int = 0) -> dict[str, Any]:
    """Time jitted ask + tell of evosax DiffusionEvolution; compile time separately."""
    import jax
    import jax.numpy as jnp
    from evosax.algorithms import DiffusionEvolution

    gens = reps + warmup + 2
    es = DiffusionEvolution(population_size=n, solution=jnp.zeros(d), num_generations=gens + 1)
    params = es.default_params
    key = jax.random.key(seed)
    key, k_pop, k_fit = jax.random.split(key, 3)
    fits = jax.random.uniform(k_fit, (gens, n))
    pop0 = jax.random.normal(k_pop, (n, d))
    state = jax.block_until_ready(es.init(key, pop0, fits[0], params))
    keys = jax.random.split(key, gens)
    fit_rows = [jax.block_until_ready(fits[g]) for g in range(gens)]

    def step(g: int, st: Any) -> Any:
        x, st = es.ask(keys[g], st, params)
        st, metrics = es.tell(keys[g], x, fit_rows[g], st, params)
        return jax.block_until_ready((st, metrics))[0]

    t0 = time.perf_counter()
    state = step(1, state)  # traces and compiles ask and tell, then runs them once
    first = time.perf_counter() - t0
    total, cpu = [], []
    for g in range(2, gens):
        c0, t0 = time.process_time(), time.perf_counter()
        state = step(g, state)
        if g - 1 > warmup:
            total.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    res = stats(total, cpu)
    res["first_call_ms"] = first * 1e3
    res["compile_ms"] = max(first * 1e3 - res["median_ms"], 0.0)
    return res


def time_cma(
    n: int, d: int, reps: int, warmup: int, max_seconds: float, seed: int = 0
) -> dict[str, Any]:
    """Time ``ask`` + ``tell`` of pycma with popsize N; stops after ``max_seconds``."""
    import cma

    rng = np.random.default_rng(seed)
    opts = {"popsize": n, "seed": seed + 1, "verbose": -9, "maxiter": 10**9}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        es = cma.CMAEvolutionStrategy(np.zeros(d), 1.0, opts)
        total: list[float] = []
        start = time.perf_counter()
        for g in range(reps + warmup):
            f = rng.random(n).tolist()
            t0 = time.perf_counter()
            xs = es.ask()
            es.tell(xs, f)
            if g >= warmup:
                total.append(time.perf_counter() - t0)
            if time.perf_counter() - start > max_seconds and len(total) >= 3:
                break
    res = stats(total)
    res["capped"] = len(total) < reps
    return res



# ---------------------------------------------------------------------- report
def machine() -> dict[str, Any]:
    """Machine facts printed with the table."""
    try:
        import cma

        cma_version = cma.__version__
    except ImportError:  # the GPU machine may lack pycma: its rows are then not run
        cma_version = None
    import jax

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "cpu_count": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "torch_threads": torch.get_num_threads(),
        "jax": jax.__version__,
        "jax_devices": [str(x) for x in jax.devices()],
        "cma": cma_version,
        "cuda": torch.cuda.get_device_name() if torch.cuda.is_available() else None,
        "loadavg": os.getloadavg(),
        "env": {k: os.environ.get(k) for k in THREAD_ENV},
        "commit": git_commit(),
    }


def git_commit() -> str:
    """HEAD of the checkout, with ``+dirty`` when src/ differs from it."""
    import subprocess

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + ("+dirty" if git("status", "-s", "src") else "")


def render(results: list[dict[str, Any]]) -> str:
    """Markdown tables: one row per (method, N, D), then our ratios to evosax (wall, CPU)."""
    lines = ["| N | D | method | median ms | IQR ms | mean ms | CPU ms | reps | notes |",
             "|---:|---:|---|---:|---:|---:|---:|---:|---|"]  # fmt: skip
    for r in results:
        notes = []
        if "compile_ms" in r:
            notes.append(f"compile {r['compile_ms']:.0f} ms (first call {r['first_call_ms']:.0f})")
        if "ask_median_ms" in r:
            notes.append(f"ask {r['ask_median_ms']:.2f} / tell {r['tell_median_ms']:.2f}")
        if r.get("capped"):
            notes.append("repetitions capped by time")
        if "gpu_peak_mb" in r:
            notes.append(f"GPU peak {r['gpu_peak_mb']:.0f} MB")
        if "error" in r:
            lines.append(f"| {r['n']} | {r['d']} | {r['method']} | failed: {r['error']} |"
                         " | | | | |")  # fmt: skip
            continue
        cpu = f"{r['cpu_median_ms']:.3f}" if "cpu_median_ms" in r else "-"
        lines.append(
            f"| {r['n']} | {r['d']} | {r['method']} | {r['median_ms']:.3f} | {r['iqr_ms']:.3f} "
            f"| {r['mean_ms']:.3f} | {cpu} | {r['reps']} | {'; '.join(notes)} |"
        )
    lines += [
        "",
        "| N | D | ours / evosax (median) | ours / cma (median) | black-box preset / evosax "
        "| ours / evosax (CPU) | black-box preset / evosax (CPU) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    sizes = sorted({(r["n"], r["d"]) for r in results}, key=lambda s: s[0] * s[1])
    for n, d in sizes:
        rows = {r["method"]: r for r in results if (r["n"], r["d"]) == (n, d)}
        cells = [_ratio(rows, "ednag (torch)", "evosax DiffusionEvolution"),
                 _ratio(rows, "ednag (torch)", "pycma"),
                 _ratio(rows, "ednag black-box preset", "evosax DiffusionEvolution"),
                 _ratio(rows, "ednag (torch)", "evosax DiffusionEvolution", "cpu_median_ms"),
                 _ratio(rows, "ednag black-box preset", "evosax DiffusionEvolution",
                        "cpu_median_ms")]  # fmt: skip
        lines.append(f"| {n} | {d} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _ratio(rows: dict[str, dict], num: str, den: str, key: str = "median_ms") -> str:
    a, b = rows.get(num, {}).get(key), rows.get(den, {}).get(key)
    return f"{a / b:.2f}" if a and b else "-"


def time_rows(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Every (size, method) row; with ``--rounds R`` the rows run R times interleaved
    (size by size, method after method) and each row pools its rounds' repetitions."""
    methods = set(args.methods.split(","))
    names = {"ours": "ednag (torch)", "blackbox": "ednag black-box preset",
             "evosax": "evosax DiffusionEvolution", "cma": "pycma"}  # fmt: skip
    runs: dict[tuple[str, int, int], list[dict[str, Any]]] = {}
    failed: list[dict[str, Any]] = []
    for rnd in range(args.rounds):
        for n, d in parse_sizes(args.sizes):
            for key in [k for k in names if k in methods]:
                try:
                    r = _time_row(key, n, d, args)
                except Exception as exc:  # noqa: BLE001 - a failed row is reported, not fatal
                    failed.append({"method": names[key], "n": n, "d": d,
                                   "error": f"{type(exc).__name__}: {str(exc)[:120]}"})  # fmt: skip
                    print(f"# {names[key]} N={n} D={d} failed: {exc!r}"[:300], flush=True)
                    _free(args.device)
                    continue
                runs.setdefault((names[key], n, d), []).append(r)
                _partial(args.json, runs)
                print(f"# round {rnd + 1} {names[key]:28s} N={n:5d} D={d:5d}: median "
                      f"{r['median_ms']:.3f} ms, load {os.getloadavg()[0]:.2f}", flush=True)
                _free(args.device)
    rows = [{"method": m, "n": n, "d": d, **pool_rounds(rs)} for (m, n, d), rs in runs.items()]
    return rows + failed


def _partial(path: str | None, runs: dict[tuple[str, int, int], list[dict[str, Any]]]) -> None:
    """Write the rows timed so far (``path``.partial), so a run cut by a time limit keeps
    them; the final ``--json`` file replaces nothing else."""
    if path:
        rows = [{"method": m, "n": n, "d": d, **pool_rounds(rs)} for (m, n, d), rs in runs.items()]
        with open(f"{path}.partial", "w") as fh:
            json.dump(rows, fh, default=float)


def _time_row(key: str, n: int, d: int, args: argparse.Namespace) -> dict[str, Any]:
    """One timed row of method ``key`` at (N, D)."""
    if key in ("ours", "blackbox"):
        preset = "default" if key == "ours" else "blackbox"
        return time_ours(n, d, args.reps, args.warmup, preset=preset, device=args.device)
    if key == "evosax":
        return time_evosax(n, d, args.reps, args.warmup)
    return time_cma(n, d, args.reps, args.warmup, args.cma_max_seconds)


def _free(device: str) -> None:
    """Return cached GPU memory between rows (a no-op on the CPU)."""
    if device.startswith("cuda"):
        torch.cuda.empty_cache()


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sizes", default=SIZES, help="comma-separated NxD (default %(default)s)")
    p.add_argument("--reps", type=int, default=30, help="timed generations per method")
    p.add_argument("--rounds", type=int, default=1, help="interleaved rounds of every row")
    p.add_argument("--warmup", type=int, default=3, help="untimed generations first")
    p.add_argument("--cma-max-seconds", type=float, default=60.0, help="time cap for pycma")
    p.add_argument("--methods", default="ours,blackbox,evosax,cma",
                   help="subset of ours,blackbox (our black-box preset),evosax,cma")
    p.add_argument("--memory", default=None, help="NxD list: peak memory of ours instead")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    p.add_argument("--device", default="cpu", help="torch device of our rows (cpu, cuda); "
                   "evosax runs on JAX's default device (set XLA_PYTHON_CLIENT_PREALLOCATE"
                   "=false next to torch on a GPU)")  # fmt: skip
    p.add_argument("--json", default=None, help="write raw results here")
    p.add_argument("--profile", default=None, help="NxD: cProfile our strategy instead")
    p.add_argument("--preset", default="default", help="--profile: default or blackbox")
    args = p.parse_args(argv)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if args.profile or args.memory:
        from _overhead_extra import peak_memory, profile_ours
    if args.profile:
        n, d = parse_sizes(args.profile)[0]
        print(profile_ours(n, d, preset=args.preset))
        return
    if args.memory:
        print("| N | D | strategy | peak MB above imports |\n|---:|---:|---|---:|")
        for n, d in parse_sizes(args.memory):
            for preset in ("default", "blackbox"):
                r = peak_memory(n, d, preset)
                cell = f"{r['peak_mb']:.0f}" if "peak_mb" in r else f"failed: {r['error']}"
                print(f"| {n} | {d} | {r['method']} | {cell} |", flush=True)
        return
    info = machine()
    print(json.dumps(info))
    results = time_rows(args)
    info["loadavg_end"] = os.getloadavg()
    print()
    load = f"load average start {info['loadavg'][0]:.2f}, end {info['loadavg_end'][0]:.2f}"
    print(f"torch threads: {info['torch_threads']}; cores: {info['cpu_count']}; {load}")
    print(f"thread environment: {info['env']}")
    print()
    print(render(results))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": info, "results": results}, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
