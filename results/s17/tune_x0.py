"""Tuning (issue 18, session 17): the x0 estimate over decoded architectures. The guided
default's x0 (which its DDIM draws denoise towards and its renoised draws start from) is the
kernel-weighted average of the population's latents; here the population is first decoded and
re-encoded as one-hot rows, so both the kernel and the average live on architectures (the
issue's "kernels over decoded architectures"). MODE "both" uses it for the DDIM draws and the
renoised draws, "renoise" for the renoised draws only. Patched into search.guided.
python results/s17/tune_x0.py LABEL MODE SEEDS [BENCH]"""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import tune_small  # noqa: E402
from ednag_opt.strategy.guidance import estimate_x0  # noqa: E402

gd = importlib.import_module("ednag_opt.search.guided")
ed = importlib.import_module("ednag_opt.search.ednag")
label, MODE, seeds = sys.argv[1], sys.argv[2], sys.argv[3]
bench_name = sys.argv[4] if len(sys.argv) > 4 else "transnas"
SPACE = {}
original_offspring, original_estimate, original_draws = (
    gd.guided_offspring, gd.denoised_estimate, gd.renoised_draws)


def decoded_estimate(es):
    st = es.state
    a_t, _ = es._alpha_pair()
    space = SPACE["space"]
    onehot = space.encode(space.decode(st.latent), validate=False).to(st.latent)
    return estimate_x0(onehot, es.log_density(es._scores(st.fitness, st.violation)), a_t)


def offspring(space, tracker, es, x, guide, generator, candidates, diffusion=True, parents=None,
              renoise=0):
    SPACE["space"], SPACE["es"] = space, es
    return original_offspring(space, tracker, es, x, guide, generator, candidates, diffusion,
                              parents, renoise)


def draws(x0, k, generator):  # "renoise": the decoded estimate for the renoised draws only
    return original_draws(decoded_estimate(SPACE["es"]), k, generator)


ed.guided_offspring = offspring
if MODE == "both":
    gd.denoised_estimate = decoded_estimate
elif MODE == "renoise":
    gd.renoised_draws = draws
else:
    raise SystemExit("MODE is both or renoise")
tune_small.run(bench_name, label, {}, tune_small.bench.parse_seeds(seeds), None)
