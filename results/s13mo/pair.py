"""Session 13 scratch: a pair-scaled spread in the recombining step (SBX's self-adaptive
property: a drawn coordinate lands near its source with a spread proportional to its
distance from the target's own value), patched in for a sweep on TUNING seeds.
Usage: python results/s13mo/pair.py OUT.jsonl pair:C[,global,...] [SEEDS] [PROBLEMS]
(session 13 ran pair:0.25,pair:0.5,pair:1.0 and global,global+pair:0.25)."""

from __future__ import annotations

import json
import sys
from multiprocessing import Pool

import numpy as np
import torch

sys.path.insert(0, "benchmarks")
import _mo_suites  # noqa: E402
from pymoo.indicators.hv import HV  # noqa: E402
from pymoo.problems import get_problem  # noqa: E402

import ednag_opt.strategy.evolutionary_ddim as E  # noqa: E402
from ednag_opt.strategy import recombination as R  # noqa: E402
from ednag_opt.strategy.blackbox import multiobjective_config  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

NAMES = ["zdt1", "zdt2", "zdt3", "dtlz2", "zdt4", "zdt6", "dtlz4", "wfg4"]
EXTRA = {"wfg1": {"n_var": 12, "n_obj": 2}, "wfg2": {"n_var": 12, "n_obj": 2},
         "wfg5": {"n_var": 12, "n_obj": 2}, "wfg6": {"n_var": 12, "n_obj": 2},
         "wfg7": {"n_var": 12, "n_obj": 2}, "wfg9": {"n_var": 12, "n_obj": 2},
         "dtlz5": {"n_var": 12, "n_obj": 3}, "dtlz7": {"n_var": 22, "n_obj": 3},
         "kursawe": {}}


ORIGINAL_STEP = E.recombine_step


def patched(c: float, alpha_cap: float | None = None, sparse: bool = False,
            rate_override: float | None = None):
    def step(x, log_g, alpha, rate, scale, noise, generator, objectives=None, niche=0.0,
             sparse_noise=False):  # the package's own option (session 13): off in the sweeps
        if alpha_cap is not None:  # the kernel's width held open: global mating
            alpha = min(alpha, alpha_cap)
        n = x.shape[0]
        flat = x.reshape(n, -1)
        d = flat.shape[1]
        w = R.kernel_log_weights(x, log_g, alpha).exp()
        src = torch.multinomial(w.cpu(), d, replacement=True, generator=generator)
        drawn = torch.gather(flat, 0, src)
        if rate_override is not None:
            rate = rate_override
        pick = torch.rand(n, d, generator=generator, dtype=torch.float64) < rate
        if c > 0:
            z2 = torch.randn(n, d, generator=generator, dtype=flat.dtype)
            drawn = drawn + c * (drawn - flat) * z2
        x0 = torch.where(pick, drawn, flat)
        spread = flat.std(dim=0, keepdim=True)
        z = noise.reshape(n, d).to(flat.dtype)
        if sparse:  # noise only where a coordinate was drawn: the others keep their value
            z = torch.where(pick, z, torch.zeros_like(z))
        return (x0 + scale * spread * z).reshape(x.shape)
    return step


def job(args: tuple[str, str, int]) -> dict:
    """One run: ``variant`` joins with ``+`` any of ``pair:C`` (pair spread C),
    ``global`` (the kernel's alpha capped at 1e-3: mating over the whole population),
    ``sparse`` (noise only on the drawn coordinates), ``rate:R`` (share drawn)."""
    torch.set_num_threads(1)
    name, variant, seed = args
    c, cap, sparse, rate = 0.0, None, False, None
    for part in variant.split("+"):
        if part == "global":
            cap = 1e-3
        elif part == "sparse":
            sparse = True
        elif part.startswith("pair:"):
            c = float(part[5:])
        elif part.startswith("rate:"):
            rate = float(part[5:])
    E.recombine_step = ORIGINAL_STEP  # a worker may have run a patched job before
    if c > 0 or cap is not None or sparse or rate is not None:
        E.recombine_step = patched(c, cap, sparse, rate)
    known = {**_mo_suites.PROBLEMS, **_mo_suites.HELDOUT, **EXTRA}
    prob = get_problem(name, **known[name])
    pf = prob.pareto_front()
    hv = HV(ref_point=1.1 * np.maximum(pf.max(axis=0), 1.0))
    # the session-10 preset (dense noise), which these sweeps patched
    cfg = multiobjective_config(popsize=100, num_steps=100, sparse_noise=False)
    F = _mo_suites._run_ednag(prob, cfg, seed)
    return {"problem": name, "variant": variant, "seed": seed,
            "hv": float(hv(F[pareto_mask(-F)]) / hv(pf))}


if __name__ == "__main__":
    out, vs = sys.argv[1], sys.argv[2].split(",")
    seeds = range(100, 105) if len(sys.argv) < 4 else [int(s) for s in sys.argv[3].split(",")]
    names = NAMES if len(sys.argv) < 5 else sys.argv[4].split(",")
    try:  # resume: skip the rows already in OUT
        done = {(r["problem"], r["variant"], r["seed"]) for r in map(json.loads, open(out))}
    except FileNotFoundError:
        done = set()
    jobs = [(n, v, s) for v in vs for n in names for s in seeds if (n, v, s) not in done]
    with Pool(2) as pool, open(out, "a") as fh:
        for row in pool.imap_unordered(job, jobs):
            fh.write(json.dumps(row) + "\n")
            fh.flush()
