"""Generation time on NAS-Bench-201 with tabular fitness: the paper's Table 5 analogue.

Rows: one full run of the paper's configuration (``preset="paper"``: N=30, T=100, one run,
3,000 architectures generated) and of our default (N=10, T=30), each repeated over seeds
0..R-1 (default 20), plus the time each needs to spend 1,000 unique queries (restarts
included). Wall time (``perf_counter``) and CPU time (``process_time``) per run, 1 torch
thread; target: median <= 0.1 s per full run. ``--profile`` adds a cProfile breakdown of
the full runs (ms per run, by function).

Usage::

    python benchmarks/bench_generation_time.py             # writes docs/results_nas.md
    python benchmarks/bench_generation_time.py --quick     # 5 repeats, no doc update
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nas_common import ROOT, git_rev, machine, md_table, print_table, update_section  # noqa: E402

from ednag_opt.fitness import CachedFitness, NB201Fitness  # noqa: E402
from ednag_opt.search import generate  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

DOC = ROOT / "docs" / "results_nas.md"
TARGET_S = 0.1
CASES: tuple[tuple[str, dict[str, Any]], ...] = (
    ("paper: one run (N=30, T=100)", {"preset": "paper"}),
    ("ours: one run (N=10, T=30)", {"preset": "default"}),
    ("paper: to 1,000 unique queries", {"preset": "paper", "max_queries": 1000}),
    ("ours: to 1,000 unique queries", {"preset": "default", "max_queries": 1000}),
)


def time_case(space: Any, source: Any, kwargs: dict[str, Any], repeats: int) -> dict[str, Any]:
    generate(space, CachedFitness(source), seed=10_000, **kwargs)  # warm-up
    walls, cpus, gens, uq = [], [], [], []
    for seed in range(repeats):
        cache = CachedFitness(source)
        t0, c0 = time.perf_counter(), time.process_time()
        res = generate(space, cache, seed=seed, **kwargs)
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
        gens.append(len(res.history))
        uq.append(res.unique_queries)
    return {
        "wall_med": statistics.median(walls),
        "wall_min": min(walls),
        "cpu_med": statistics.median(cpus),
        "gens": statistics.median(gens),
        "uq": statistics.median(uq),
    }


def profile_case(
    space: Any, source: Any, kwargs: dict[str, Any], runs: int, top: int
) -> list[list[str]]:
    """cProfile of ``runs`` runs: the functions with the largest own CPU time, ms per run
    (the profiler clock is ``process_time``, so time lost to other processes is not counted;
    profiling overhead inflates every entry roughly alike)."""
    prof = cProfile.Profile(time.process_time)
    prof.enable()
    for seed in range(runs):
        generate(space, CachedFitness(source), seed=seed, **kwargs)
    prof.disable()
    st = pstats.Stats(prof, stream=io.StringIO())
    rows = []
    for (file, line, func), (_cc, nc, tt, ct, _callers) in st.stats.items():  # type: ignore[attr-defined]
        where = f"{Path(file).name}:{line}" if line else file
        rows.append((tt, ct, nc, f"{func} ({where})"))
    rows.sort(reverse=True)
    return [
        [name, f"{1e3 * tt / runs:.2f}", f"{1e3 * ct / runs:.2f}", f"{nc // runs}"]
        for tt, ct, nc, name in rows[:top]
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 repeats, no doc update")
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--profile", action="store_true", help="add a cProfile breakdown")
    ap.add_argument("--top", type=int, default=15)
    ap.add_argument("--no-doc", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(1)
    repeats = min(5, args.repeats) if args.quick else args.repeats
    space = get_space("nas-bench-201")
    source = NB201Fitness("cifar10", metric="val")
    space.enumerate()
    header = [
        "case",
        "wall s (median)",
        "wall s (min)",
        "CPU s (median)",
        "generations",
        "unique queries",
        f"<= {TARGET_S} s (wall / CPU)",
    ]
    rows = []
    for name, kw in CASES:
        r = time_case(space, source, kw, repeats)
        ok = (
            ""
            if "max_queries" in kw
            else " / ".join("PASS" if r[k] <= TARGET_S else "MISS" for k in ("wall_med", "cpu_med"))
        )
        rows.append(
            [
                name,
                f"{r['wall_med']:.3f}",
                f"{r['wall_min']:.3f}",
                f"{r['cpu_med']:.3f}",
                f"{r['gens']:.0f}",
                f"{r['uq']:.0f}",
                ok,
            ]
        )
    print_table(f"NAS-Bench-201 cifar10 generation time, median of {repeats}", header, rows)
    md = [
        "## Generation time (NAS-Bench-201, tabular fitness; Table 5 analogue)",
        "",
        f"Command: `python benchmarks/bench_generation_time.py {' '.join(sys.argv[1:])}`  ",
        f"Machine: {machine()}; date {dt.date.today().isoformat()}; commit {git_rev()}; one "
        "process, 1 torch thread, on a machine shared with other jobs: the CPU time and the "
        "minimum wall time are the contention-free estimates.  ",
        f"Median over seeds 0..{repeats - 1} after one warm-up run; cifar10 validation "
        "accuracy by table lookup through `CachedFitness`. Target: a full run in <= "
        f"{TARGET_S} s (median wall time).",
        "",
        md_table(header, rows),
    ]
    if args.profile:
        ph = ["function (file:line)", "own CPU ms/run", "cumulative CPU ms/run", "calls/run"]
        for name, kw in CASES[:2]:
            prow = profile_case(space, source, kw, runs=5, top=args.top)
            print_table(f"cProfile: {name} (top {args.top} by own time)", ph, prow)
            md += ["", f"cProfile, {name}, top {args.top} by own time:", "", md_table(ph, prow)]
    if not (args.quick or args.no_doc):
        update_section(DOC, "gentime", "\n".join(md))
        print(f"wrote {DOC}")


if __name__ == "__main__":
    main()
