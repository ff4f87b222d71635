"""Tuning driver of the pymoo adapter's continuous preset (issue #17; seeds 100-199 only).

Runs EDNAG variants (options of ``EDNAG``, see ``VARIANTS``) and pymoo's DE through
``bench_pymoo.run_task`` (same protocol: ``minimize`` to the budget, error = best feasible
value of the first E evaluations minus the optimum) and prints per-budget medians with the
count of problems where the variant's median is at most DE's. Results are appended to a
JSON file, so a stopped run resumes. Used for the tables of docs/results_pymoo.md::

    python benchmarks/tune_pymoo.py --variants DE,former,default,frame-n10 \\
        --seeds 100,101,102 --raw results/tune17.json
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import torch
from bench_pymoo import UNCONSTRAINED, run_task

from ednag_opt.integrations.pymoo_epsilon import POWER, THETA, UNTIL

EPS_LEVEL = (THETA, UNTIL, POWER)


def variants() -> dict[str, dict[str, Any]]:
    """EDNAG options of each variant (``DE`` is pymoo's DE with pop 50)."""
    from ednag_opt.integrations.pymoo import PYMOO_CONFIG as P
    from ednag_opt.integrations.pymoo import PYMOO_CONTINUOUS_CONFIG as C

    return {
        "former": {"config": P},  # the former default: no frame, N = 30, mixing 0.3
        "default": {},  # the continuous preset, N = 2 (4 + floor(3 ln D)), mixing 0.3
        "frame-n10": {"pop_size": 10},
        "frame-n10-nomix": {"pop_size": 10, "mixing": 0.0},
        "frame-n20": {"pop_size": 20},
        "frame-n20-nomix": {"pop_size": 20, "mixing": 0.0},
        "frame-n30": {"pop_size": 30},
        "diag-n30": {"config": C.replace(adapt="diag")},
        "mix0.5": {"mixing": 0.5},
        "mix0.8": {"mixing": 0.8},
        "collapse1e-8": {"_collapse": 1e-8},
        "frame-on-g": {"config": C},  # the preset given explicitly: N = 30 on any problem
        "frame-on-g-n20": {"config": C, "pop_size": 20},
        # parent crossover (DE-like, pymoo_variation) with the continuous preset
        "cx0.5": {"crossover": 0.5},
        "cx0.2": {"crossover": 0.2},
        "cx0.5-nomix": {"crossover": 0.5, "mixing": 0.0},
        "cx0.2-nomix": {"crossover": 0.2, "mixing": 0.0},
        "cx0.8": {"crossover": 0.8},
        # the global phase's population (global_pop; gpop30 is the default, None)
        **{f"gpop{n}": {"global_pop": n} for n in (20, 30, 50, 80, 100, 120)},
        # constrained problems (PYMOO_CONFIG: epsilon handling, N = 30)
        "t0.05": {"temperature": 0.05},
        "frame-roulette": {"config": P.replace(adapt="full", adapt_cycle=2)},
        "cx0.5-t0.05": {"crossover": 0.5, "temperature": 0.05},
        "eps0.9": {"config": P.replace(epsilon_level=0.9)},
        "until0.95": {"config": P.replace(epsilon_until=0.95)},
        "clip": {"bounds_mode": "clip"},
        "sr": {"constraint_handling": "stochastic-ranking"},
        "feas": {"constraint_handling": "feasibility"},
        # a Takahama-Sakai level in the adapter's state (pymoo_epsilon): (theta, until, power)
        "nomix": {"mixing": 0.0},  # the default on constrained 2-D problems since session 6
        "mix0.3": {"mixing": 0.3},  # the former default there
        "eps-pop": {"epsilon_control": "population"},  # the strategy's level (former default)
        **{f"eps{t}-{u}-{c}": {"epsilon_control": "state", "_eps": (t, u, c)}
           for t in (0.05, 0.2, 0.5) for u in (0.2, 0.5, 0.8) for c in (2, 5)},
        # the global phase before the frame (pymoo_restarts; default global_share 0.7)
        "no-global": {"global_share": 0.0},  # the frame alone: the former continuous preset
        "global0.5": {"global_share": 0.5},
        "global0.6": {"global_share": 0.6},
        "global0.8": {"global_share": 0.8},
    }


def run(name: str, problem: str, seed: int, budgets: list[int]) -> list[dict]:
    """Runs of one variant on one problem and seed (DE: one run gives every budget)."""
    import ednag_opt.integrations.pymoo as adapter
    import ednag_opt.integrations.pymoo_epsilon as eps

    if name == "DE":
        return [run_task((problem, "DE", seed, tuple(budgets), {}))]
    out = []
    for b in budgets:
        opts = dict(variants()[name])
        adapter.COLLAPSE = opts.pop("_collapse", 1e-12)
        level = opts.pop("_eps", EPS_LEVEL)  # (theta, until, power) of pymoo_epsilon
        eps.THETA, eps.UNTIL, eps.POWER = level
        out.append(run_task((problem, "EDNAG", seed, (b,), opts)))
    adapter.COLLAPSE = 1e-12
    eps.THETA, eps.UNTIL, eps.POWER = EPS_LEVEL
    return out


def summary(runs: list[dict], budget: int) -> list[str]:
    """One line per variant: medians per problem, ``*`` where <= DE's, and the count."""
    b, lines = str(budget), []
    probs = list(dict.fromkeys(r["problem"] for r in runs))
    med = {(v, p): float(np.median(e)) for v in dict.fromkeys(r["v"] for r in runs)
           for p in probs
           if (e := [r["errors"][b] for r in runs if r["v"] == v and r["problem"] == p
                     and b in r["errors"]])}  # fmt: skip
    for v in dict.fromkeys(r["v"] for r in runs):
        cells = [(p, med.get((v, p)), med.get(("DE", p))) for p in probs]
        wins = sum(m is not None and d is not None and m <= d for _, m, d in cells)
        text = " ".join(f"{p}={m:.2g}" for p, m, _ in cells if m is not None)
        lines.append(f"{budget} {v}: {text}" + ("" if v == "DE" else f"  <= DE: {wins}"))
    return lines


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--variants", default="DE,former,default")
    ap.add_argument("--problems", default=",".join(UNCONSTRAINED))
    ap.add_argument("--budgets", default="3000,10000")
    ap.add_argument("--seeds", default="100,101,102", help="tuning: 100-199 only")
    ap.add_argument("--raw", default="results/tune_pymoo.json")
    args = ap.parse_args(argv)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    budgets = [int(b) for b in args.budgets.split(",")]
    path = Path(args.raw)
    runs = json.loads(path.read_text()) if path.exists() else []
    for name in args.variants.split(","):
        for p in args.problems.split(","):
            for s in (int(x) for x in args.seeds.split(",")):
                if any(r["v"] == name and r["problem"] == p and r["seed"] == s for r in runs):
                    continue
                runs += [dict(r, v=name) for r in run(name, p, s, budgets)]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(json.dumps(runs))
    for b in budgets:
        print("\n".join(summary(runs, b)))


if __name__ == "__main__":
    main()
