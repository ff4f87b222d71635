"""Session 20 diagnosis: what the guided default's diffusion draws look like, per stage of a run.

python results/s20/diag.py SPACE BUDGET [TASK]
SPACE: mobilenetv3 (OFA predictor) | nas-bench-201 (cifar100 validation) | transnas-micro /
transnas-macro (TASK). Seed 101. Wraps search.guided.guided_offspring and prints, by the
step's position in its run (tenths / thirds of T): rows in which the strategy's own sample
differs from its particle, rows between the chosen architecture and the nearest member,
the share of particles that took a diffusion draw, the share of samples already queried,
the x0 kernel's mean self-weight and its effective sample size (1 / sum w^2) per particle.
"""

import importlib
import sys

import numpy as np
import torch

from ednag_opt import search
from ednag_opt.fitness import CachedFitness, NB201Fitness, TransNASFitness
from ednag_opt.fitness.predictors import OFAAccuracyPredictor
from ednag_opt.spaces import get_space
from ednag_opt.strategy.guidance import kernel_log_weights

torch.set_num_threads(1)
G = importlib.import_module("ednag_opt.search.guided")
E = importlib.import_module("ednag_opt.search.ednag")
name, budget = sys.argv[1], int(sys.argv[2])
if name == "mobilenetv3":
    fitness = CachedFitness(OFAAccuracyPredictor())
elif name == "nas-bench-201":
    fitness = CachedFitness(NB201Fitness("cifar100", metric="val"))
else:
    fitness = CachedFitness(TransNASFitness(sys.argv[3], space=name.split("-")[1]))
space = get_space(name)
stats = []
_orig = G.guided_offspring


def traced(space, tracker, es, x, guide, generator, candidates, diffusion=True, parents=None,
           renoise=0, decoded=False):
    out, chosen, origin = _orig(space, tracker, es, x, guide, generator, candidates, diffusion,
                                parents, renoise, decoded)
    cur = space.encode(space.decode(es.state.latent), validate=False).argmax(-1)
    samp = space.encode(space.decode(x), validate=False).argmax(-1)
    ch = space.encode(chosen, validate=False).argmax(-1)
    near = (ch.unsqueeze(1) != cur.unsqueeze(0)).sum(-1).min(-1).values.float()
    st = es.state
    w = kernel_log_weights(st.latent, es.log_density(es._scores(st.fitness, st.violation)),
                           es._alpha_pair()[0]).exp()
    n = len(origin)
    stats.append((es.generation, (samp != cur).sum(-1).float().mean().item(), near.mean().item(),
                  sum(o == "diffusion" for o in origin) / n,
                  sum(tracker.seen(a) for a in space.decode(x)) / n,
                  w.diagonal().mean().item(), (1 / (w ** 2).sum(1)).mean().item()))
    return out, chosen, origin


E.guided_offspring = traced
res = search("ednag", space, fitness, max_queries=budget, seed=101)
s = np.array(stats)
print(f"{name} {budget}: {len(s)} guided steps, best {max(v for _, v in res.queries):.4f}")
T = int(s[:, 0].max()) + 1
for lo, hi in [(0, T // 10), (T // 10, T // 3), (T // 3, 2 * T // 3), (2 * T // 3, T)]:
    m = s[(s[:, 0] >= lo) & (s[:, 0] < hi)]
    if len(m):
        print(f"steps {lo}-{hi}: sample vs own particle {m[:, 1].mean():.2f} rows, chosen vs nearest "
              f"member {m[:, 2].mean():.2f}, diffusion chosen {m[:, 3].mean():.2f}, sample already "
              f"queried {m[:, 4].mean():.2f}, kernel self-weight {m[:, 5].mean():.2f}, "
              f"ESS {m[:, 6].mean():.2f}")
