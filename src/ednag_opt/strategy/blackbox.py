"""Presets and a restarting driver for continuous black-box minimisation.

``blackbox_config(dim)`` is the configuration for continuous problems: the diffusion runs
in an adapted frame (``adapt="full"``, or ``"diag"`` above 200 dimensions) whose
covariance learns 5x faster than CMA-ES's defaults, one denoising step per generation
(``adapt_cycle=2``), float64, truncation selection. ``multiobjective_config()`` is the
preset for bounded continuous problems with several objectives (``step="recombine"``).
``paper_config()`` is the EDNAG paper's strategy, unchanged (no frame: it needs bounds).
:func:`minimize` runs either with BIPOP restarts (IPOP's doubling populations interleaved
with short local runs) until a budget of evaluations is spent; on unbounded problems with
up to 20 variables its large-population runs sample afresh from the frame as CMA-ES does
and the short runs are the diffusion's (``large="gauss-all"``, the default there).

>>> import torch
>>> res = minimize(lambda x: ((x - 3.0) ** 2).sum(1), dim=4, budget=2000, seed=0)
>>> bool(res.fun < 1e-6)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch

from .config import DDIMConfig
from .evolutionary_ddim import EvolutionaryDDIM
from .gauss_frame import gauss_run

__all__ = ["GAUSS_ALL_MAX_DIM", "LARGE_SAMPLERS", "STALL_RULES", "SURVIVAL_RULES", "MinimizeResult",
           "blackbox_config", "minimize", "multiobjective_config", "paper_config"]

#: :func:`minimize`'s rules for ending a run that still moves (see its ``stall``)
STALL_RULES = ("local", "regime")
#: :func:`minimize`'s survivor rules for the large-population runs (see its ``survival``)
SURVIVAL_RULES = ("elitist", "comma")
#: :func:`minimize`'s samplers for the large-population runs (see its ``large``)
LARGE_SAMPLERS = ("ddim", "gauss", "alternate", "gauss-all")
#: ``large=None`` (the default) is ``"gauss-all"`` for unbounded problems with up to this
#: many variables (the dimensions it was measured at: BBOB d = 2, 5, 10, 20), else ``"ddim"``
GAUSS_ALL_MAX_DIM = 20
#: ``survival="comma"``: the success rule's target share of offspring beating the
#: parents' median (the median success rule's "offspring median beats the parents' 30%
#: quantile" for a shifted distribution)
COMMA_TARGET = 0.7


def blackbox_config(dim: int, **changes: Any) -> DDIMConfig:
    """The black-box preset for ``dim`` variables; ``changes`` override its fields.

    Population ``4 + floor(3 ln dim)`` (CMA-ES's default; :func:`minimize` doubles it at
    each restart), full covariance up to 200 variables, diagonal above, covariance learning
    rates 5x CMA-ES's (``adapt_rate=5``: on BBOB's ill-conditioned functions, tuned on
    instances 1-5, the frame then reaches a target with about CMA-ES's evaluations instead
    of twice as many; see docs/results_blackbox.md).
    """
    if isinstance(dim, bool) or not isinstance(dim, int) or dim < 1:
        raise ValueError(f"dim must be a positive integer, got {dim!r}")
    base = dict(popsize=4 + int(3 * math.log(dim)), num_steps=100,
                adapt="full" if dim <= 200 else "diag", adapt_cycle=2, adapt_rate=5.0,
                dtype=torch.float64,
                roulette=False, diversity_frac=0.0, elite_frac=0.1)  # fmt: skip
    return DDIMConfig(**{**base, **changes})


def multiobjective_config(**changes: Any) -> DDIMConfig:
    """The preset for continuous problems with several objectives; ``changes`` override it.

    Pass ``objectives=M`` (here or to ``EvolutionaryDDIM``). Population 100, offspring by
    ``step="recombine"`` (70% of the coordinates of x0 drawn from the kernel posterior,
    noise at 0.2 times the population's per-coordinate spread on the drawn coordinates
    only, ``sparse_noise=True``; see ``strategy.recombination``), the cosine schedule for
    the kernel, rank map at
    temperature 0.3, survivors by NSGA-II's order (truncation by Pareto rank and
    crowding), float64, and points outside the bounds clipped onto them
    (``bounds_mode="clip"``, as pymoo's SBX and polynomial mutation do: a Pareto set on the
    boundary, ZDT's, is then reached exactly instead of approached by reflections). Tuned
    on seeds 100-159 of ZDT1-3 and DTLZ2 (see docs/results_multiobjective.md, "Session
    10"; the sparse noise since session 13, tuned on seeds 100-119 of those four and
    ZDT4, ZDT6, DTLZ4, WFG4, checked on WFG1-3 and 5-9). ``sparse_noise=False`` is the
    session-10 preset; with it, ``bounds_mode="reflect", niche=0.2`` is the session-7
    preset (the mating kernel in objective space kept ZDT2's front open under reflecting
    bounds; with clipped bounds it is not needed) and ``bounds_mode="reflect"`` the
    session-6 one, bit for bit; ``paper_config`` and the strategy's defaults are unchanged.
    """
    base = dict(popsize=100, step="recombine", recombine_rate=0.7, spread_scale=0.2,
                sparse_noise=True, schedule="cosine", temperature=0.3, roulette=False,
                diversity_frac=0.0, bounds_mode="clip", dtype=torch.float64)  # fmt: skip
    return DDIMConfig(**{**base, **changes})


def paper_config(**changes: Any) -> DDIMConfig:
    """The EDNAG paper's strategy (cosine schedule, eta 0.8, energy map), no frame."""
    return DDIMConfig(**{"schedule": "cosine", "sigma": 0.8, "fitness_map": "energy",
                         **changes})  # fmt: skip


@dataclass
class MinimizeResult:
    """Outcome of :func:`minimize`.

    Attributes:
        x: best point found; fun: its value.
        evaluations: evaluations spent; restarts: runs started after the first.
        trace: (evaluations, best value so far) after each generation.
    """

    x: np.ndarray
    fun: float
    evaluations: int
    restarts: int
    trace: list[tuple[int, float]] = field(default_factory=list)


def minimize(
    fun: Callable[[torch.Tensor], Any],
    dim: int,
    budget: int,
    *,
    seed: int = 0,
    bounds: tuple[float, float] | None = None,
    x0: Any = None,
    init_scale: float | None = None,
    config: DDIMConfig | None = None,
    restarts: bool | str = "bipop",
    stall: str = "local",
    survival: str = "elitist",
    large: str | None = None,
    target: float = -math.inf,
) -> MinimizeResult:
    """Minimise ``fun`` (batch (N, dim) -> N values) within ``budget`` evaluations.

    Args:
        fun: objective on a float64 batch.
        dim: number of variables.
        budget: evaluations to spend (the last generation is cut to fit).
        seed: base seed; restart ``r`` uses ``1000 * seed + r``.
        bounds: optional box; then the search runs in the box's latent space.
        x0: start mean (default: uniform in the middle 80% of the bounds, else the origin
            plus U(-4, 4)); restarts draw new start means.
        init_scale: initial standard deviation (problem units; latent units with bounds);
            None keeps the config's ``init_scale`` (1.0 in ``blackbox_config``).
        config: a :class:`DDIMConfig` (default ``blackbox_config(dim)``); ``num_steps`` is
            replaced by what the budget allows.
        restarts: ``"bipop"`` (default): BIPOP restarts when a run converges, IPOP's
            large-population runs (the population doubles) interleaved with short local
            runs (a smaller population and initial scale drawn at random) while those have
            spent fewer evaluations than the large ones; ``True`` or ``"ipop"``: IPOP
            restarts only; ``False``: one run.
        survival: ``"elitist"`` (default): every run keeps the config's selection (the
            preset's: the best of parents and offspring survive); ``"comma"``: the runs of
            the large-population regime (the first run and IPOP's doubled ones; with a
            frame) replace the parents by the offspring (``selection=False``, as CMA-ES's
            (mu/mu_w, lambda) does), and their frame's success rule targets a share
            ``COMMA_TARGET`` = 0.7 of offspring beating the parents' median instead of
            0.25 (with 0.25 a non-elitist run's step size grows without bound); BIPOP's
            short runs stay elitist. Not the default: on BBOB f20-f24 at 10⁴·d it gained
            on the tuning instances at d = 5 and lost on the held-out ones and at d = 10,
            and with small populations it can stall early (a 4-d sphere, population 8);
            see docs/results_blackbox.md, session 8.
        stall: when a run that still moves ends for lack of progress. ``"local"``
            (default): after ``10 + 30 dim / pop`` generations without a new best, for
            every run; ``"regime"``: the runs of the large-population regime (the first
            run and IPOP's doubled ones) may go ``120 + 30 dim / pop`` generations without
            one (CMA-ES's TolStagnation horizon), BIPOP's short runs keep the local rule
            (on BBOB f20-f24 at 10⁴·d it was level with the default: see
            docs/results_blackbox.md, session 7).
        large: how the large-population runs draw their offspring. ``None`` (default):
            ``"gauss-all"`` for an unbounded problem with at most ``GAUSS_ALL_MAX_DIM`` = 20
            variables (and the default ``stall`` and ``survival``, a config with a frame),
            ``"ddim"`` otherwise. ``"ddim"``: the diffusion, like every other run (the
            default before session 11); ``"gauss"``: IPOP's doubled runs (every
            large-regime run after the first) draw afresh from the adapted frame,
            ``mean + sigma B N(0, I)``, with CMA-ES's weighted recombination, covariance
            learning rates, cumulative step-size adaptation and stopping rules (non-elitist;
            see :mod:`.gauss_frame`); the first run and BIPOP's short runs stay diffusions;
            ``"gauss-all"``: every large-regime run, the first one included, is such a
            Gaussian run (with ``restarts=False`` the one run is), so the large regime is
            IPOP-CMA-ES in the frame and BIPOP's short local runs are the diffusion's;
            ``"alternate"``: the doubled runs alternate between the two, Gaussian first
            (populations ``2 p0``, ``8 p0``, ...). All but ``"ddim"`` need an unbounded
            problem. On BBOB f20-f24 at 10⁴·d (tuned on instances 1-5 at d = 5)
            ``"gauss-all"`` solved 0.678 of the targets at d = 5 on instances 1-5 (pycma's
            IPOP 0.679, ``"ddim"`` 0.548, ``"gauss"`` 0.638) and 0.644 on the held-out
            instances 6-25 (pycma 0.611, ``"ddim"`` 0.590); at d = 10 0.485 (pycma 0.274,
            ``"ddim"`` 0.442), at d = 20 0.299 (pycma 0.268, ``"ddim"`` 0.293) and at d = 2
            0.858 (pycma 0.844, ``"ddim"`` 0.872); on f10-f14 its worst ratio to pycma over
            the budgets is 0.82 / 0.84 / 0.78 / 0.80 at d = 2 / 5 / 10 / 20 (``"ddim"``:
            0.73 / 0.76 / 0.60 / 0.57). See docs/results_blackbox.md, session 11.
        target: stop once a value <= target is found.

    Returns:
        MinimizeResult: the best point and value, evaluations spent, the trace.

    Raises:
        ValueError: ``restarts``, ``stall``, ``survival`` or ``large`` is not one of the
            values above, or a ``large`` other than ``"ddim"`` comes with ``bounds``.
    """
    if restarts not in (True, False, "ipop", "bipop"):
        raise ValueError(f"restarts must be True, False, 'ipop' or 'bipop', got {restarts!r}")
    if stall not in STALL_RULES:
        raise ValueError(f"stall must be one of {STALL_RULES}, got {stall!r}")
    if survival not in SURVIVAL_RULES:
        raise ValueError(f"survival must be one of {SURVIVAL_RULES}, got {survival!r}")
    if large is not None and large not in LARGE_SAMPLERS:
        raise ValueError(f"large must be None or one of {LARGE_SAMPLERS}, got {large!r}")
    if large not in (None, "ddim") and bounds is not None:
        raise ValueError(f"large={large!r} needs an unbounded problem (bounds=None)")
    cfg = config or blackbox_config(dim)
    large = large or _default_large(dim, bounds, cfg, stall, survival)
    if init_scale is not None:
        cfg = cfg.replace(init_scale=init_scale)
    rng = np.random.default_rng(seed)
    regime = _Regimes(cfg.popsize, cfg.init_scale, restarts == "bipop", seed)
    out = MinimizeResult(None, math.inf, 0, 0)
    run, pop, scale, limit = 0, cfg.popsize, cfg.init_scale, budget
    while out.evaluations + 2 * pop <= budget and out.fun > target:
        run_cfg = cfg.replace(popsize=pop, init_scale=scale,
                              num_steps=max(2, (budget - out.evaluations) // pop))  # fmt: skip
        comma = survival == "comma" and not regime.small_next and run_cfg.adapt != "none"
        if comma:
            run_cfg = run_cfg.replace(selection=False)
        start = _start(x0 if run == 0 else None, dim, bounds, rng)
        stop_at = min(budget, out.evaluations + limit)
        doubled = not regime.small_next and (run > 0 or large == "gauss-all")
        if doubled and (large in ("gauss", "gauss-all") or large == "alternate"
                        and round(math.log2(pop / cfg.popsize)) % 2 == 1):  # fmt: skip
            spent = gauss_run(fun, start, pop, scale, out, stop_at, target, 1000 * seed + run)
        else:
            es = EvolutionaryDDIM((dim,), config=run_cfg, seed=1000 * seed + run, bounds=bounds)
            wait = _patience(dim, pop, stall == "regime" and not regime.small_next)
            spent = _run(es, fun, start, out, stop_at, target, wait,
                         COMMA_TARGET if comma else None)
        regime.record(pop, spent)
        run += 1
        if not restarts:
            break
        pop, scale, limit = regime.next()
    out.restarts = run - 1
    return out


def _default_large(dim: int, bounds: tuple[float, float] | None, cfg: DDIMConfig,
                   stall: str, survival: str) -> str:
    """``large=None``: ``"gauss-all"`` for an unbounded problem with at most
    ``GAUSS_ALL_MAX_DIM`` variables, a frame, and the default stall and survival rules (the
    other rules concern the diffusion's large-regime runs); ``"ddim"`` otherwise."""
    gauss = bounds is None and dim <= GAUSS_ALL_MAX_DIM and cfg.adapt != "none"
    return "gauss-all" if gauss and stall == "local" and survival == "elitist" else "ddim"


class _Regimes:
    """Restart schedule: IPOP (population doubles), or BIPOP's two interleaved regimes.

    BIPOP (Hansen 2009) follows each large run by small runs while the small ones have
    spent fewer evaluations than the large ones: population ``p0 (p_large / 2 p0)^(U²)``,
    initial scale ``s0 10^(-2U)`` (U uniform in [0, 1)), each capped at half the
    evaluations of the last large run.
    """

    def __init__(self, pop: int, scale: float, bipop: bool, seed: int) -> None:
        self.p0, self.s0, self.bipop = pop, scale, bipop
        self.large, self.last_large, self.spent_large, self.spent_small = pop, 0, 0, 0
        self.small_next = False
        self.rng = np.random.default_rng([seed, 14])

    def record(self, pop: int, spent: int) -> None:
        if self.small_next:
            self.spent_small += spent
        else:
            self.spent_large += spent
            self.last_large = spent

    def next(self) -> tuple[int, float, int]:
        """``(population, initial scale, evaluation limit)`` of the next run."""
        self.small_next = self.bipop and self.spent_small < self.spent_large
        if not self.small_next:
            self.large *= 2
            return self.large, self.s0, 1 << 62
        u = float(self.rng.uniform())
        pop = max(2, int(self.p0 * (0.5 * self.large / self.p0) ** (u * u)))
        return pop, self.s0 * 10.0 ** (-2.0 * u), max(2 * pop, self.last_large // 2)


def _run(es: EvolutionaryDDIM, fun: Callable[[torch.Tensor], Any], start: torch.Tensor,
         out: MinimizeResult, stop_at: int, target: float, wait: int,
         success_target: float | None = None) -> int:
    """One run of ``es`` from ``start`` until it converges (or goes ``wait`` generations
    without a new best) or ``stop_at`` evaluations are spent in all; updates ``out`` (best,
    evaluations, trace) and returns its evaluations. ``success_target`` replaces the
    frame's success-rule target (a non-elitist run's)."""
    pop, begin = es.popsize, out.evaluations
    best_run, stall = math.inf, 0
    while not es.done and out.evaluations + pop <= stop_at:
        x = _ask(es, start)
        if success_target is not None and es.generation == 0:
            es.state.frame.constants["target"] = success_target
        f = torch.as_tensor(np.asarray(fun(x), dtype=np.float64)).reshape(-1)
        es.tell(f)
        out.evaluations += pop
        i = int(torch.argmin(torch.nan_to_num(f, nan=math.inf)))
        if float(f[i]) < out.fun:
            out.x, out.fun = x[i].numpy().copy(), float(f[i])
        out.trace.append((out.evaluations, out.fun))
        stall = 0 if float(f.min()) < best_run - 1e-12 * abs(best_run) else stall + 1
        best_run = min(best_run, float(f.min()))
        if out.fun <= target or _converged(es, stall, wait):
            break
    return out.evaluations - begin


def _start(x0: Any, dim: int, bounds: tuple[float, float] | None, rng: np.random.Generator
           ) -> torch.Tensor:
    if x0 is not None:
        x = torch.as_tensor(np.asarray(x0, dtype=np.float64)).reshape(dim)
        if bounds is None:
            return x
        lo, hi = bounds  # the search runs in the box's latent coordinates [-1, 1]
        return (2.0 * (x - lo) / (hi - lo) - 1.0).clamp(-1.0, 1.0)
    if bounds is None:
        return torch.as_tensor(rng.uniform(-4.0, 4.0, dim))
    return torch.as_tensor(rng.uniform(-0.8, 0.8, dim))  # latent coordinates of the box


def _ask(es: EvolutionaryDDIM, start: torch.Tensor) -> torch.Tensor:
    """``es.ask()``, with the first population moved to the start mean."""
    if es.generation > 0:
        return es.ask().to(torch.float64)
    es.ask()
    shift = start.to(es.state.pending.dtype)
    if es.bounds is None and es.state.frame is None:
        es.state.pending = es.state.pending + shift
    elif es.state.frame is not None:
        es.state.frame.mean = start.clone()
        es.state.pending = es.state.pending + shift
    else:
        es.state.pending = es.state.pending * 0.5 + shift
    return es.to_problem(es.state.pending).to(torch.float64)


def _patience(dim: int, pop: int, large: bool = False) -> int:
    """Generations a run may go without progress: ``10 + 30 dim / pop`` (as CMA-ES's
    TolFun history), ``120 + 30 dim / pop`` for a large-regime run (TolStagnation)."""
    return (120 if large else 10) + int(30 * dim / pop)


def _converged(es: EvolutionaryDDIM, stall: int, wait: int) -> bool:
    """Frame collapsed below 1e-12, or no improvement for ``wait`` generations."""
    row = es.history[-1]
    if "frame_scale" in row and row["frame_scale"] < 1e-12:
        return True
    return stall > wait + (0 if es.state.frame is not None else 10**9)
