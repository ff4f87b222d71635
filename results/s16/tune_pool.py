"""Tuning (issue 18, session 16): is the guide's candidate pool the bottleneck? Adds EXTRA
uniformly random architectures per particle to the default's 16 diffusion draws + 16 repair
moves; the guide picks the best new of all (a random pick is labelled "repair"). A copy of
``search.guided.guided_offspring`` with the extra pool, patched into ``search.ednag``.
python results/s16/tune_pool.py LABEL EXTRA SEEDS [BENCH [random|renoise]]"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import numpy as np
import torch

import tune_small
from ednag_opt.search.guided import mutate_rows, step_distribution
from ednag_opt.strategy.guidance import estimate_x0

ed = importlib.import_module("ednag_opt.search.ednag")
label, extra, seeds = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bench_name = sys.argv[4] if len(sys.argv) > 4 else "transnas"
MODE = sys.argv[5] if len(sys.argv) > 5 else "random"  # or "renoise"


def offspring(space, tracker, es, x, guide, generator, candidates, diffusion=True, parents=None):
    n = x.shape[0]
    fresh = tracker.queries[guide.seen:]
    guide.seen = len(tracker.queries)
    guide.observe([a for a, _ in fresh], [v for _, v in fresh], tracker.maximize)
    mean, sigma = step_distribution(es)
    noise = torch.randn((candidates - 1, *x.shape), generator=generator, dtype=x.dtype)
    pools = [torch.cat([x.unsqueeze(0), mean.to(x) + sigma * noise.to(x.device)])]
    every = list(range(n))
    pools.append(torch.stack([mutate_rows(parents(x, every), space.mask, generator)
                              for _ in range(candidates)]))
    eps = torch.randn((extra, *x.shape), generator=generator, dtype=x.dtype)
    if MODE == "renoise":  # the forward process from the x0 estimate at random noise levels
        st = es.state
        a_t, _ = es._alpha_pair()
        x0 = estimate_x0(st.latent, es.log_density(es._scores(st.fitness, st.violation)), a_t)
        abar = torch.rand((extra, 1, 1, 1), generator=generator, dtype=x.dtype)
        eps = abar.sqrt() * x0.unsqueeze(0) + (1 - abar).sqrt() * eps
    pools.append(eps)
    cand = torch.cat(pools)
    flat = cand.reshape(-1, *x.shape[1:])
    archs = space.decode(flat)
    score = guide.predict(archs, validate=False).reshape(cand.shape[0], n)
    out, chosen, origin, taken = x.clone(), space.decode(x), ["diffusion"] * n, set()
    for i in range(n):
        for k in np.argsort(-score[:, i], kind="stable"):
            a = archs[k * n + i]
            key = tracker.key(a)
            if key in taken or tracker.seen(a):
                continue
            out[i], chosen[i], taken = flat[k * n + i], a, taken | {key}
            rep = candidates <= k < 2 * candidates or (k >= 2 * candidates and MODE != "renoise")
            origin[i] = "repair" if rep else "diffusion"
            break
    return out, chosen, origin


ed.guided_offspring = offspring
torch.set_num_threads(1)
a, b = (int(x) for x in seeds.split("-"))
tune_small.run(bench_name, label, {}, list(range(a, b + 1)), None)
