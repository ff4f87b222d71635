import math
import pickle

import pytest
import torch

from ednag_opt import EvolutionaryDDIM
from ednag_opt.strategy import DDIMConfig
from ednag_opt.strategy.adaptation import (
    from_frame,
    init_frame,
    success_rate,
    to_frame,
    update_frame,
)
from ednag_opt.strategy.blackbox import blackbox_config, minimize, paper_config
from ednag_opt.strategy.guidance import estimate_x0


def ellipsoid(shift):
    def f(x):
        x = x.reshape(x.shape[0], -1).to(torch.float64) - shift
        w = 10.0 ** (6.0 * torch.arange(x.shape[1], dtype=torch.float64) / (x.shape[1] - 1))
        return (w * x * x).sum(1)

    return f


def test_default_config_has_no_frame_and_adapt_is_validated():
    es = EvolutionaryDDIM((3,), popsize=6, num_steps=3)
    es.ask()
    es.tell(torch.rand(6))
    assert es.state.frame is None and "frame_scale" not in es.history[-1]
    with pytest.raises(ValueError, match="adapt must be one of"):
        DDIMConfig(adapt="cma")
    with pytest.raises(ValueError, match="adapt_cycle"):
        DDIMConfig(adapt="full", adapt_cycle=1)
    with pytest.raises(ValueError, match="dim"):
        blackbox_config(0)


@pytest.mark.parametrize("mode", ["full", "diag"])
def test_frame_round_trip_and_update_moves_towards_better_offspring(mode):
    frame = init_frame(4, 8, mode, 2.0, mean=torch.ones(4))
    u = torch.randn(8, 4, dtype=torch.float64)
    back = from_frame(frame, to_frame(frame, u), u)
    assert torch.allclose(back, u, atol=1e-12)
    u = torch.ones(8, 4, dtype=torch.float64) + torch.linspace(0, 1, 8).unsqueeze(1)
    update_frame(frame, u, -torch.arange(8.0), success=0.0)  # the first rows are best
    assert torch.all(frame.mean > 1.0) and torch.all(frame.mean < 1.5)
    cov = frame.cov if mode == "diag" else frame.cov.diagonal()
    assert math.isclose(float(cov.mean()), 1.0, rel_tol=1e-9)  # shape only: scale in sigma
    assert frame.sigma < 2.0  # no success: the scale shrinks


def test_success_rate():
    parents = torch.tensor([0.0, 1.0, 2.0, -torch.inf])
    assert success_rate(torch.tensor([3.0, 0.5, -1.0, 2.0]), parents) == 0.75  # median 0
    assert success_rate(torch.zeros(3), None) == 0.5


@pytest.mark.parametrize("large", ["ddim", None])
def test_unbounded_search_does_not_depend_on_where_the_optimum_is(large):
    """A 6-d ellipsoid (condition 1e6), optimum shifted by 0 / 3 / 100: evaluations to 1e-6.

    Travelling 100 initial scales costs a fixed ~1,300 evaluations (sigma grows
    geometrically), which weighs more since the preset learns the shape 5x faster (the
    diffusion's run, ``large="ddim"``: 1,755 / 1,998 / 3,276; with CMA-ES's rates 3,645 /
    3,276 / 4,356). ``minimize``'s default (a Gaussian run in the frame at this size):
    1,683 / 1,656 / 2,169.
    """
    runs = [minimize(ellipsoid(s), 6, 10000, seed=1, restarts=False, target=1e-6,
                     large=large) for s in (0.0, 3.0, 100.0)]
    assert all(r.fun <= 1e-6 for r in runs), [r.fun for r in runs]
    evals = [r.evaluations for r in runs]
    assert max(evals) < 2.0 * min(evals), evals
    assert max(evals) < 3500, evals  # faster than CMA-ES's rates on every shift


def test_no_frame_stalls_where_the_frame_does_not():
    """Without adaptation the unbounded search cannot leave its initial cloud."""
    cfg = blackbox_config(6, adapt="none", adapt_cycle=0, num_steps=300, popsize=18)
    es = EvolutionaryDDIM((6,), config=cfg, seed=0)
    f = ellipsoid(10.0)
    while not es.done:
        es.tell(f(es.ask()))
    assert es.best_fitness > 1.0
    assert minimize(f, 6, es.state.evaluations, seed=0).fun < 1e-2


def test_diag_mode_and_state_dict_continue_bit_identically():
    cfg = blackbox_config(5, adapt="diag", num_steps=20)
    a = EvolutionaryDDIM((5,), config=cfg, seed=3)
    f = ellipsoid(2.0)
    for _ in range(5):
        a.tell(f(a.ask()))
    b = EvolutionaryDDIM((5,), config=cfg, seed=99)
    b.load_state_dict(a.state_dict())
    c = pickle.loads(pickle.dumps(a))
    for _ in range(5):
        xa, xb, xc = a.ask(), b.ask(), c.ask()
        assert torch.equal(xa, xb) and torch.equal(xa, xc)
        for es in (a, b, c):
            es.tell(f(xa))
    assert a.state.frame.sigma == b.state.frame.sigma


def test_bounded_frame_stays_in_the_box():
    res = minimize(ellipsoid(4.5), 4, 3000, seed=0, bounds=(-5.0, 5.0), restarts=False)
    assert res.fun < 1e-6 and abs(res.x).max() <= 5.0


def test_paper_preset_is_the_paper_strategy():
    cfg = paper_config(popsize=20)
    assert (cfg.schedule, cfg.sigma, cfg.fitness_map, cfg.adapt) == ("cosine", 0.8, "energy",
                                                                    "none")  # fmt: skip


def test_chunked_x0_matches_the_one_block_estimate():
    torch.manual_seed(0)
    x, lg = torch.randn(257, 9, dtype=torch.float64), torch.randn(257, dtype=torch.float64)
    lg[5] = -torch.inf
    full = estimate_x0(x, lg, 0.4)
    for chunk in (1, 50, 256):
        assert torch.allclose(estimate_x0(x, lg, 0.4, chunk=chunk), full, atol=1e-12)


def test_minimize_start_point_is_in_problem_units_with_bounds():
    res = minimize(lambda x: ((x - 40.0) ** 2).sum(1), 3, 60, seed=0, bounds=(0.0, 50.0),
                   x0=[40.0, 40.0, 40.0], init_scale=1e-3, restarts=False)  # fmt: skip
    assert res.trace[0][1] < 1.0  # the first population sits at the given start


def test_adapt_rate_multiplies_the_covariance_rates_and_defaults_to_cma():
    from ednag_opt.strategy.adaptation import RATE_CAP, frame_constants

    base, fast = frame_constants(10, 10, "full"), frame_constants(10, 10, "full", 5.0)
    assert frame_constants(10, 10, "full", 1.0) == base
    assert math.isclose(fast["c1"], 5 * base["c1"]) and math.isclose(fast["cmu"], 5 * base["cmu"])
    capped = frame_constants(2, 6, "full", 50.0)  # c1 + c_mu would exceed 1
    assert math.isclose(capped["c1"] + capped["cmu"], RATE_CAP)
    assert DDIMConfig().adapt_rate == 1.0 and blackbox_config(5).adapt_rate == 5.0
    with pytest.raises(ValueError, match="adapt_rate"):
        DDIMConfig(adapt_rate=0.0)
    es = EvolutionaryDDIM((10,), config=blackbox_config(10, popsize=10, adapt_rate=3.0))
    es.ask()
    assert math.isclose(es.state.frame.constants["cmu"], 3 * base["cmu"])


def test_state_dict_from_before_adapt_rate_still_loads():
    es = EvolutionaryDDIM((3,), popsize=6, num_steps=4, adapt="full", adapt_cycle=2)
    es.tell(torch.arange(6.0) + 0.0 * es.ask().sum(1))
    sd = es.state_dict()
    del sd["config"]["adapt_rate"]  # saved by a version without the option
    other = EvolutionaryDDIM((3,), popsize=6, num_steps=4, adapt="full", adapt_cycle=2)
    other.load_state_dict(sd)
    assert torch.equal(other.ask(), es.ask())
    fast = EvolutionaryDDIM((3,), popsize=6, num_steps=4, adapt="full", adapt_cycle=2,
                            adapt_rate=2.0)  # fmt: skip
    with pytest.raises(ValueError, match="adapt_rate"):
        fast.load_state_dict(sd)


def _frame_run(device: str, bounds: tuple[float, float] | None) -> tuple[torch.Tensor, float]:
    cfg = blackbox_config(8, popsize=16, num_steps=200)
    es = EvolutionaryDDIM((8,), config=cfg, seed=3, device=device, bounds=bounds)
    w = 10.0 ** (6.0 * torch.arange(8, dtype=torch.float64, device=device) / 7)

    def f(x: torch.Tensor) -> torch.Tensor:
        return (w * (x.to(torch.float64) - 1.5) ** 2).sum(1)

    first = es.ask()
    es.tell(f(first))
    while not es.done:
        x = es.ask()
        assert x.device.type == torch.device(device).type
        es.tell(f(x))
    return first.cpu(), float(es.best_fitness)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("bounds", [None, (-5.0, 5.0)])
def test_adapted_frame_on_cuda(bounds):
    torch.set_num_threads(1)
    gpu_first, gpu_best = _frame_run("cuda", bounds)
    cpu_first, cpu_best = _frame_run("cpu", bounds)
    assert torch.allclose(gpu_first, cpu_first, atol=1e-5)  # same noise, same start
    assert gpu_best < 1e-3 and cpu_best < 1e-3  # the frame adapts on both devices
