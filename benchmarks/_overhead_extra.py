"""Memory and profile modes of ``bench_overhead.py`` (``--memory``, ``--profile``)."""

from __future__ import annotations

import cProfile
import os
import pstats
from typing import Any

import torch
from bench_overhead import make_ours


def peak_memory(n: int, d: int, preset: str, gens: int = 3) -> dict[str, Any]:
    """Peak resident memory (MB) of ``gens`` generations in a fresh process, minus the
    resident memory after the imports (both from ``getrusage``)."""
    import subprocess
    import sys

    code = (
        "import resource, sys, torch; sys.path.insert(0, 'benchmarks');"
        "from bench_overhead import make_ours; torch.set_num_threads(1);"
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss;"
        f"es = make_ours({n}, {d}, {gens + 2}, '{preset}');"
        f"[es.tell(torch.rand({n})) for _ in range({gens}) if es.ask() is not None];"
        "print(base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if out.returncode:
        return {"method": f"ours ({preset})", "n": n, "d": d, "error": out.stderr[-300:]}
    base, peak = (int(v) for v in out.stdout.split())
    return {"method": f"ours ({preset})", "n": n, "d": d, "peak_mb": (peak - base) / 1024}


def profile_ours(n: int, d: int, gens: int = 10, top: int = 22, preset: str = "default") -> str:
    """cProfile of ``gens`` steady-state generations; per-generation ms of each function."""
    es = make_ours(n, d, gens + 3, preset)
    g = torch.Generator().manual_seed(1)
    es.ask()
    es.tell(torch.rand(n, generator=g))
    es.ask()
    es.tell(torch.rand(n, generator=g))
    fits = torch.rand(gens, n, generator=g)
    prof = cProfile.Profile()
    prof.enable()
    for i in range(gens):
        es.ask()
        es.tell(fits[i])
    prof.disable()
    st = pstats.Stats(prof)
    rows = []
    for (file, line, func), (_cc, ncalls, tot, cum, _callers) in st.stats.items():  # type: ignore[attr-defined]
        where = f"{os.path.basename(file)}:{line}({func})" if line else func
        rows.append((cum / gens * 1e3, tot / gens * 1e3, ncalls / gens, where))
    rows.sort(reverse=True)
    head = f"Profile of EvolutionaryDDIM ({preset}) at N={n}, D={d}: {gens} generations, "
    head += f"torch threads {torch.get_num_threads()}"
    out = [head, "", "| cumulative ms/gen | own ms/gen | calls/gen | function |"]
    out.append("|---:|---:|---:|---|")
    for cum, tot, calls, where in rows[:top]:
        out.append(f"| {cum:.2f} | {tot:.2f} | {calls:.1f} | `{where}` |")
    return "\n".join(out)
