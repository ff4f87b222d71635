"""Session 18 screens of issue #18 on the tuning seeds (scratch; see RULE18.md).

    python results/s18/screen.py LABEL BENCH SEEDS

LABEL is a key of VARIANTS: options of ``search("ednag")`` plus an optional patch of the
guided proposals (monkeypatched here, the package is unchanged). Runs go through
``benchmarks/tune_small.run`` (``bench_searchers.run_one``: the tables' protocol) and are
appended to ``results/t18/<bench>-<label>.jsonl``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import tune_small  # noqa: E402

from ednag_opt.search import ednag as ednag_mod  # noqa: E402
from ednag_opt.search import guided  # noqa: E402


def beta_levels(x0, k, generator):
    """Renoised draws with a ~ Beta(2, 1) (= sqrt(U)): skewed towards recombination."""
    z = torch.randn((k, *x0.shape), generator=generator, dtype=x0.dtype).to(x0.device)
    level = torch.rand((k, 1, 1, 1), generator=generator, dtype=x0.dtype).sqrt().to(x0.device)
    return level.sqrt() * x0.unsqueeze(0) + (1 - level).sqrt() * z


def shared_pool(space, tracker, es, x, guide, generator, candidates, diffusion=True,
                parents=None, renoise=0, decoded=False):
    """guided_offspring with one pool for the batch: the N best new candidates of all
    particles' proposals under the guide (particle i takes the i-th)."""
    n = x.shape[0]
    pools = []
    fresh = tracker.queries[guide.seen:]
    guide.seen = len(tracker.queries)
    guide.observe([a for a, _ in fresh], [v for _, v in fresh], tracker.maximize)
    x0 = guided.denoised_estimate(es, space if decoded else None) if diffusion else None
    if diffusion:
        mean, sigma = guided._transition(es, x0)
        noise = torch.randn((candidates - 1, *x.shape), generator=generator, dtype=x.dtype)
        pools.append(torch.cat([x.unsqueeze(0), mean.to(x) + sigma * noise.to(x.device)]))
    every = list(range(n))
    pools.append(torch.stack([guided.mutate_rows(parents(x, every), space.mask, generator)
                              for _ in range(candidates)]))
    if diffusion and renoise:
        pools.append(guided.renoised_draws(x0, renoise, generator).to(x))
    cand = torch.cat(pools)
    k_diff = candidates if diffusion else 0
    flat = cand.reshape(-1, *x.shape[1:])
    archs = space.decode(flat)
    score = guide.predict(archs, validate=False)
    base, label = (x, "diffusion") if diffusion else (cand[0], "repair")
    out, chosen, origin, taken = base.clone(), space.decode(base), [label] * n, set()
    i = 0
    for m in np.argsort(-score, kind="stable"):
        if i == n:
            break
        a = archs[m]
        key = tracker.key(a)
        if key in taken or tracker.seen(a):
            continue
        k = m // n
        out[i], chosen[i], taken = flat[m], a, taken | {key}
        origin[i] = "diffusion" if k < k_diff else "repair" if k < 2 * candidates else "renoise"
        i += 1
    return out, chosen, origin


VARIANTS = {
    "s18 default": ({}, None),
    "s18 r32": ({"renoise": 32}, None),
    "s18 dec": ({"estimate": "decoded"}, None),
    "s18 r32dec": ({"renoise": 32, "estimate": "decoded"}, None),
    "s18 beta": ({}, ("renoised_draws", beta_levels)),
    "s18 shared": ({}, ("guided_offspring", shared_pool)),
    "s18 warm": ({"warm_restarts": True}, None),  # RULE18_warm.md, clause (b)
}


def main() -> None:
    label, bench_name, seeds = sys.argv[1], sys.argv[2], sys.argv[3]
    opts, patch = VARIANTS[label]
    if patch is not None:
        name, fn = patch
        setattr(guided if name == "renoised_draws" else ednag_mod, name, fn)
    torch.set_num_threads(1)
    lo, hi = map(int, seeds.split("-"))
    tune_small.run(bench_name, label, opts, list(range(lo, hi + 1)), None)


if __name__ == "__main__":
    main()
