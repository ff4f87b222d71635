"""Session 20 screen: a per-row (factorised) kernel x0 estimate for the guided draws.

python results/s20/rows_screen.py OUT.jsonl BENCH SEEDS LABEL[,LABEL] [CELLS]
LABEL: any bench_searchers label, or "ednag rows-x0" (the default with the per-row estimate).

The guided default's extra DDIM draws and renoised draws start from the strategy's x0
estimate, a kernel-weighted average of the population in which the Gaussian kernel over all
D1 x D2 coordinates gives each particle an effective sample size of about one (MobileNetV3:
1.1-1.7; NAS-Bench-201: 1.0-1.9). The per-row estimate weighs member i for particle j and
row r by g(f_i) N(x_j[r]; sqrt(a) x_i[r], 1 - a) over that row's coordinates only, so each
row is a fitness-weighted vote of the members close in that row (a factorised denoiser).
Patched into search.guided.denoised_estimate (the strategy's own sample is unchanged).
"""

import importlib
import sys

import torch
from _loop import B, run

G = importlib.import_module("ednag_opt.search.guided")
_orig = G.denoised_estimate
ON = {"v": False}


def rows_x0(points: torch.Tensor, log_g: torch.Tensor, a: float) -> torch.Tensor:
    x = points.to(torch.float64)  # (N, D1, D2)
    d = x.unsqueeze(1) - (a ** 0.5) * x.unsqueeze(0)  # [j, i, r, c]
    logits = log_g.to(torch.float64).view(1, -1, 1) - (d ** 2).sum(-1) / (2 * (1 - a))
    w = torch.softmax(logits, dim=1)  # over members i, per particle j and row r
    return torch.einsum("jir,irc->jrc", w, x).to(points.dtype)


def denoised_estimate(es, space=None):
    if not ON["v"]:
        return _orig(es, space)
    st = es.state
    a_t, _ = es._alpha_pair()
    points = st.latent
    if space is not None:
        points = space.encode(space.decode(st.latent), validate=False).to(st.latent)
    return rows_x0(points, es.log_density(es._scores(st.fitness, st.violation)), a_t)


G.denoised_estimate = denoised_estimate
B.METHODS.setdefault("ednag rows-x0", ("ednag", {}))
run(sys.argv[1:], sys.argv[4].split(","), lambda m: ON.update(v=m == "ednag rows-x0"))
