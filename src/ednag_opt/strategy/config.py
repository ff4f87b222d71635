"""The strategy's hyperparameters as one frozen, validated object (evosax's params pattern).

A :class:`DDIMConfig` holds every hyperparameter of :class:`EvolutionaryDDIM` and nothing
that changes during a run; the run's state lives in :class:`~.state.DDIMState`. Presets are
instances of it, ``state_dict()`` records all of it, and ``load_state_dict()`` refuses a
state taken under another configuration.

>>> cfg = DDIMConfig(popsize=20, sigma=0.5)
>>> cfg.replace(popsize=40).popsize
40
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from .._device import resolve_device
from .adaptation import ADAPT_MODES
from .bounds import BOUND_MODES
from .constraints import CONSTRAINT_HANDLINGS
from .guidance import FITNESS_MAPS
from .schedules import get_schedule

__all__ = ["DDIMConfig", "resolve_dtype", "resolve_device"]

#: transitions of ``DDIMConfig.step``
STEPS = ("ddim", "recombine")

_DTYPES = {"float32": torch.float32, "float64": torch.float64, "float": torch.float32,
           "double": torch.float64}  # fmt: skip


def resolve_dtype(dtype: Any) -> torch.dtype:
    """``torch.float32`` or ``torch.float64`` from a dtype or its name; anything else raises.

    Half precision (float16, bfloat16) is refused: the kernel weights of the x0 estimate
    underflow in it within a few generations.
    """
    if isinstance(dtype, str):
        name = dtype.removeprefix("torch.")
        if name not in _DTYPES:
            raise ValueError(f"dtype must be 'float32' or 'float64', got {dtype!r}")
        return _DTYPES[name]
    if isinstance(dtype, np.dtype) or (isinstance(dtype, type) and issubclass(dtype, np.generic)):
        return resolve_dtype(np.dtype(dtype).name)
    if dtype in (torch.float32, torch.float64):
        return dtype
    if isinstance(dtype, torch.dtype):
        why = "half precision makes the kernel weights underflow" if dtype.is_floating_point \
            else "the population is real-valued (a floating point type)"
        raise ValueError(f"dtype must be torch.float32 or torch.float64, got {dtype}: {why}")
    raise TypeError(f"dtype must be a torch float dtype or its name, got {type(dtype).__name__}")


def _positive_int(name: str, v: Any, low: int) -> int:
    if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < low:
        raise ValueError(f"{name} must be an integer >= {low}, got {v!r}")
    return int(v)


def _finite(name: str, v: Any, low: float, *, strict: bool) -> float:
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise TypeError(f"{name} must be a real number, got {type(v).__name__}")
    v = float(v)
    if not math.isfinite(v) or v < low or (strict and v == low):
        bound = f"> {low:g}" if strict else f">= {low:g}"
        raise ValueError(f"{name} must be finite and {bound}, got {v}")
    return v


@dataclass(frozen=True)
class DDIMConfig:
    """Hyperparameters of :class:`~ednag_opt.strategy.EvolutionaryDDIM` (frozen, validated).

    Args:
        popsize: population size N (>= 2). Paper: 30 (100 for MobileNetV3).
        num_steps: generations T (>= 2): one initial population and T-1 denoising steps.
        maximize: True when higher fitness is better.
        schedule: ``"log-cosine"`` (default), ``"cosine"``, ``"linear"``, or a sequence of
            T alphas in (0, 1], increasing towards t=0 (see ``strategy.schedules``).
        sigma: DDIM noise scale eta (paper 0.8); 0 is deterministic DDIM.
        fitness_map: ``"rank"`` (default), ``"energy"``, ``"identity"``, ``"power"`` or a
            callable mapping scores (higher is better) to log-densities.
        temperature: temperature of the ``rank`` (default 0.1) or ``energy`` (1.0) maps.
        power: exponent of the ``power`` map.
        elite_frac: share of the population kept as distinct elites (0 disables).
        diversity_frac: share chosen by farthest-point sampling among the fit (0 disables).
        selection: True: (mu+lambda) selection from parents ∪ offspring; False: the
            offspring replace the parents (plain diffusion evolution).
        roulette: fill the rest of the population by roulette (True) or by rank (False).
        bounds_mode: ``"reflect"`` or ``"clip"``, how latent points outside [-1, 1] fold.
        init_scale: standard deviation of the first latent population.
        dtype: float type of the population, ``torch.float32`` or ``torch.float64`` (or
            their names).
        objectives: number M of objectives; ``M >= 2`` makes ``tell`` take an (N, M)
            fitness ranked by Pareto dominance (non-dominated rank, then crowding; see
            ``strategy.pareto``), each column in the direction of ``maximize``.
        adapt: ``"none"`` (default: the paper's diffusion in the latent space itself),
            ``"full"`` or ``"diag"``: the diffusion runs in a frame whose location, scale
            and shape (full or diagonal covariance) follow the ranked offspring each
            generation (see ``strategy.adaptation``); needed on unbounded problems.
        adapt_cycle: with ``adapt``, 0 runs the schedule once over ``num_steps``; ``c >= 2``
            repeats a ``c``-step schedule (the frame keeps the progress).
        adapt_rate: with ``adapt``, multiplier of CMA-ES's covariance learning rates
            ``c1`` and ``c_mu`` (1: CMA-ES's values; ``blackbox_config`` uses 5).
        constraint_handling: how ``tell(violation=...)`` ranks members:
            ``"feasibility"`` (default), ``"epsilon"`` or ``"stochastic-ranking"``
            (see ``strategy.constraints``).
        epsilon_level: ``"epsilon"``: quantile of the non-zero violations tolerated at the
            start of the diffusion, in [0, 1].
        epsilon_until: ``"epsilon"``: share of the diffusion after which only feasible
            members rank on their objective, in (0, 1].
        ranking_pf: ``"stochastic-ranking"``: probability of comparing two members by
            objective when one is infeasible, in [0, 1).
        step: the transition from x_t to the offspring: ``"ddim"`` (default, the paper's
            DDIM step from the kernel-weighted x0 estimate) or ``"recombine"``: each
            coordinate of x0 is drawn, with probability ``recombine_rate``, from a member
            chosen by the same kernel weights, and the noise is ``spread_scale`` times the
            population's per-coordinate standard deviation (``strategy.recombination``;
            the multi-objective black-box preset, ``multiobjective_config``).
        recombine_rate: ``"recombine"``: share of coordinates drawn, in [0, 1].
        spread_scale: ``"recombine"``: noise in units of the population's spread, >= 0.
        sparse_noise: ``"recombine"``: the noise only on the coordinates drawn from the
            posterior; the others keep the member's own value (as a genetic algorithm's
            mutation leaves most genes alone). False (default) perturbs every coordinate.
        niche: ``"recombine"`` with ``objectives >= 2`` (ignored with one): width of a
            mating kernel in objective space (vectors scaled to [0, 1] by the population's
            range): donors of a member are also weighted by
            ``exp(-|F_j - F_i|² / (2 h_t²))``, ``h_t = niche / (1 - alpha_t)``, so that
            early in the schedule coordinates are drawn from neighbours along the front;
            >= 0, 0 (default) is off (the session-7 preset used 0.2).
    """

    popsize: int = 30
    num_steps: int = 100
    maximize: bool = False
    schedule: str | tuple[float, ...] = "log-cosine"
    sigma: float = 0.8
    fitness_map: str | Callable[[torch.Tensor], torch.Tensor] = "rank"
    temperature: float | None = None
    power: float = 2.0
    elite_frac: float = 0.1
    diversity_frac: float = 0.2
    selection: bool = True
    roulette: bool = True
    bounds_mode: str = "reflect"
    init_scale: float = 1.0
    dtype: torch.dtype = torch.float32
    objectives: int = 1
    adapt: str = "none"
    adapt_cycle: int = 0
    adapt_rate: float = 1.0
    constraint_handling: str = "feasibility"
    epsilon_level: float = 0.5
    epsilon_until: float = 0.8
    ranking_pf: float = 0.45
    step: str = "ddim"
    recombine_rate: float = 0.5
    spread_scale: float = 0.3
    niche: float = 0.0
    sparse_noise: bool = False

    def __post_init__(self) -> None:
        put = object.__setattr__
        put(self, "popsize", _positive_int("popsize", self.popsize, 2))
        put(self, "num_steps", _positive_int("num_steps", self.num_steps, 2))
        put(self, "sigma", _finite("sigma", self.sigma, 0.0, strict=False))
        put(self, "power", _finite("power", self.power, 0.0, strict=True))
        put(self, "init_scale", _finite("init_scale", self.init_scale, 0.0, strict=True))
        if self.temperature is not None:
            put(self, "temperature", _finite("temperature", self.temperature, 0.0, strict=True))
        for name in ("elite_frac", "diversity_frac"):
            v = _finite(name, getattr(self, name), 0.0, strict=False)
            if v > 1.0:
                raise ValueError(f"{name} must be in [0, 1], got {v}")
            put(self, name, v)
        if self.elite_frac + self.diversity_frac > 1.0:
            raise ValueError("elite_frac + diversity_frac must not exceed 1")
        for name in ("maximize", "selection", "roulette"):
            if not isinstance(getattr(self, name), bool | np.bool_):
                raise TypeError(f"{name} must be True or False, got {getattr(self, name)!r}")
            put(self, name, bool(getattr(self, name)))
        if self.bounds_mode not in BOUND_MODES:
            raise ValueError(f"bounds_mode must be one of {BOUND_MODES}, got {self.bounds_mode!r}")
        put(self, "dtype", resolve_dtype(self.dtype))
        put(self, "objectives", _positive_int("objectives", self.objectives, 1))
        if self.objectives > 1 and getattr(self, "adapt", "none") != "none":
            raise ValueError("objectives > 1 needs adapt='none' (a frame follows one ranking)")
        if self.init_scale * 64.0 > torch.finfo(self.dtype).max:  # x_T would overflow
            raise ValueError(f"init_scale={self.init_scale:g} overflows {self.dtype}")
        if self.adapt not in ADAPT_MODES:
            raise ValueError(f"adapt must be one of {ADAPT_MODES}, got {self.adapt!r}")
        put(self, "adapt_rate", _finite("adapt_rate", self.adapt_rate, 0.0, strict=True))
        if self.adapt_cycle != 0:
            put(self, "adapt_cycle", _positive_int("adapt_cycle", self.adapt_cycle, 2))
        _check_constraint_options(self)
        _check_step_options(self)
        put(self, "schedule", _check_schedule(self.schedule, self.num_steps))
        fmap = self.fitness_map
        if isinstance(fmap, str) and fmap not in FITNESS_MAPS:
            raise ValueError(f"fitness_map must be one of {sorted(FITNESS_MAPS)} or a callable")
        if not isinstance(fmap, str) and not callable(fmap):
            raise TypeError(f"fitness_map must be a name or a callable, got {fmap!r}")

    def replace(self, **changes: Any) -> DDIMConfig:
        """A copy with ``changes`` applied (and validated); unknown names raise."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise TypeError(f"unknown DDIMConfig option(s): {sorted(unknown)}")
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description (a callable fitness map is named by its qualified name)."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if f.name == "dtype":
                v = str(v).removeprefix("torch.")
            elif f.name == "schedule" and not isinstance(v, str):
                v = list(v)
            elif callable(v):
                v = f"{getattr(v, '__module__', '?')}.{getattr(v, '__qualname__', repr(v))}"
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DDIMConfig:
        """Inverse of :meth:`to_dict` for named fitness maps; unknown keys raise."""
        d = dict(d)
        if isinstance(d.get("schedule"), list):
            d["schedule"] = tuple(d["schedule"])
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = set(d) - fields
        if unknown:
            raise TypeError(f"unknown DDIMConfig option(s): {sorted(unknown)}")
        return cls(**d)


def _check_constraint_options(cfg: DDIMConfig) -> None:
    if cfg.constraint_handling not in CONSTRAINT_HANDLINGS:
        raise ValueError(
            f"constraint_handling must be one of {CONSTRAINT_HANDLINGS}, "
            f"got {cfg.constraint_handling!r}"
        )
    limits = {"epsilon_level": (0.0, 1.0, False), "epsilon_until": (0.0, 1.0, True),
              "ranking_pf": (0.0, 1.0, False)}  # fmt: skip
    for name, (low, high, strict) in limits.items():
        v = _finite(name, getattr(cfg, name), low, strict=strict)
        if v > high or (name == "ranking_pf" and v == high):
            raise ValueError(f"{name} must be at most {high:g}"
                             f"{' (exclusive)' if name == 'ranking_pf' else ''}, got {v}")
        object.__setattr__(cfg, name, v)


def _check_step_options(cfg: DDIMConfig) -> None:
    if cfg.step not in STEPS:
        raise ValueError(f"step must be one of {STEPS}, got {cfg.step!r}")
    if cfg.step == "recombine" and cfg.adapt != "none":
        raise ValueError("step='recombine' needs adapt='none' (its noise follows the population)")
    rate = _finite("recombine_rate", cfg.recombine_rate, 0.0, strict=False)
    if rate > 1.0:
        raise ValueError(f"recombine_rate must be in [0, 1], got {rate}")
    object.__setattr__(cfg, "recombine_rate", rate)
    object.__setattr__(cfg, "spread_scale",
                       _finite("spread_scale", cfg.spread_scale, 0.0, strict=False))  # fmt: skip
    object.__setattr__(cfg, "niche", _finite("niche", cfg.niche, 0.0, strict=False))
    if not isinstance(cfg.sparse_noise, bool):
        raise TypeError(f"sparse_noise must be True or False, got {cfg.sparse_noise!r}")


def _check_schedule(schedule: Any, num_steps: int) -> str | tuple[float, ...]:
    """A schedule name, or the alphas as a tuple of floats (validated by ``get_schedule``)."""
    if isinstance(schedule, str):
        get_schedule(schedule, num_steps)
        return schedule
    try:
        alphas = get_schedule(torch.as_tensor(schedule, dtype=torch.float64), num_steps)
    except (TypeError, RuntimeError) as exc:
        raise TypeError(f"schedule must be a name or a sequence of alphas: {exc}") from None
    return tuple(alphas.tolist())
