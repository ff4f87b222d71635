"""EvolutionaryDDIM: the paper's Algorithm 1 as an ask/tell strategy.

One generation, for the population x_t at timestep t (alphas[t]; t runs T-1 -> 0):

1. map fitness to a log-density, ``log g(f(x_t))``                 (guidance.py)
2. estimate x0 by the kernel-weighted sum of the population          (guidance.py)
3. DDIM step to the offspring x_{t-1}                                 (ddim.py)
4. evaluate the offspring, keep the best of parents ∪ offspring      (selection.py)

``ask`` performs 1-3 (the first ``ask`` returns x_T ~ N(0, I)); ``tell`` records the
fitness of what ``ask`` returned and performs 4. Parents keep their fitness: nothing is
evaluated twice.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Hashable, Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import torch

from .._threads import small_threads
from .adaptation import from_frame, init_frame, success_rate, to_frame, update_frame
from .bounds import as_bounds, box_point, fold, to_latent, to_problem
from .config import DDIMConfig, resolve_device
from .constraints import constrained_scores
from .ddim import ddim_step
from .guidance import estimate_x0, get_fitness_map
from .pareto import as_objectives, pareto_scores
from .recombination import recombine_step
from .schedules import get_schedule
from .selection import select
from .state import DDIMState, TellResult, summary_row
from .validation import as_fitness, check_same_config, resolve_shape, same_bounds

__all__ = ["EvolutionaryDDIM"]

#: options added after state dicts were first saved, with the value older runs had
_NEW_OPTIONS = {"adapt_rate": 1.0, "step": "ddim", "recombine_rate": 0.5, "spread_scale": 0.3,
                "niche": 0.0, "sparse_noise": False}


class EvolutionaryDDIM:
    """Evolutionary diffusion (DDIM) strategy over continuous tensors of any shape.

    The hyperparameters live in a frozen :class:`~.config.DDIMConfig` (``self.config``);
    they can be given as that object, as keyword arguments, or both (keywords override).

    Args:
        shape: shape of one solution, e.g. ``(10,)`` or ``(6, 5)``.
        popsize: population size N (>= 2), overrides ``config.popsize``.
        num_steps: generations T (>= 2), overrides ``config.num_steps``.
        num_dims: shorthand for ``shape=(num_dims,)``.
        config: the hyperparameters (default ``DDIMConfig()``).
        seed: seed of the strategy's own ``torch.Generator`` (all randomness comes from it).
        bounds: optional ``(lower, upper)`` of the problem space; ``ask`` then returns
            ``lower + (fold(z) + 1) / 2 * (upper - lower)`` (see ``strategy.bounds``).
        device: where the population lives (checked at once: ``"cuda"`` without CUDA
            raises here, not at the first ``ask``).
        **options: any :class:`~.config.DDIMConfig` field (``maximize``, ``sigma``,
            ``schedule``, ``fitness_map``, ``temperature``, ``elite_frac``, ``dtype``, ...);
            an unknown name raises ``TypeError``.
    """

    def __init__(
        self,
        shape: Sequence[int] | int | None = None,
        popsize: int | None = None,
        num_steps: int | None = None,
        *,
        num_dims: int | None = None,
        config: DDIMConfig | None = None,
        seed: int = 0,
        bounds: tuple[Any, Any] | None = None,
        device: str | torch.device | None = None,
        **options: Any,
    ) -> None:
        self.shape = resolve_shape(shape, num_dims)
        if config is not None and not isinstance(config, DDIMConfig):
            raise TypeError(f"config must be a DDIMConfig, got {type(config).__name__}")
        sizes = {"popsize": popsize, "num_steps": num_steps}
        changes = {**{k: v for k, v in sizes.items() if v is not None}, **options}
        cfg = (config or DDIMConfig()).replace(**changes) if changes else (config or DDIMConfig())
        if isinstance(seed, bool) or not isinstance(seed, int | np.integer):
            raise TypeError(f"seed must be an integer, got {seed!r}")
        if not 0 <= seed < 2**63:
            raise ValueError(f"seed must be in [0, 2**63), got {seed}")
        self.config = cfg
        self.popsize, self.num_steps, self.seed = cfg.popsize, cfg.num_steps, int(seed)
        self.maximize, self.sigma = cfg.maximize, cfg.sigma
        fmap = cfg.fitness_map
        self.log_density = get_fitness_map(fmap, cfg.temperature, cfg.power)
        sched = cfg.schedule if isinstance(cfg.schedule, str) else torch.tensor(cfg.schedule)
        self.alphas = get_schedule(sched, cfg.num_steps)
        if cfg.adapt_cycle:
            self.cycle_alphas = get_schedule(cfg.schedule if isinstance(cfg.schedule, str)
                                             else "log-cosine", cfg.adapt_cycle)  # fmt: skip
        self.elite_frac, self.diversity_frac = cfg.elite_frac, cfg.diversity_frac
        self.selection, self.roulette = cfg.selection, cfg.roulette
        self.device = resolve_device(device)
        self.dtype, self.init_scale, self.bounds_mode = cfg.dtype, cfg.init_scale, cfg.bounds_mode
        self.bounds = None
        if bounds is not None:
            self.bounds = as_bounds(bounds, self.shape, self.device, self.dtype)
        self.generator = torch.Generator().manual_seed(self.seed)
        self.state = DDIMState()
        self._folded: tuple[torch.Tensor, torch.Tensor] | None = None  # (asked z, fold(z))

    # ------------------------------------------------------------------ ask / tell
    @property
    def done(self) -> bool:
        """True once ``num_steps`` generations have been told."""
        return self.state.generation >= self.num_steps

    @property
    def generation(self) -> int:
        """Completed generations (tells)."""
        return self.state.generation

    @property
    def timestep(self) -> int:
        """Timestep t of the current population (T-1 after the first tell, 0 at the end)."""
        return self.num_steps - max(self.state.generation, 1)

    @small_threads
    def ask(self) -> torch.Tensor:
        """Return the next population to evaluate, shape ``(popsize, *shape)``."""
        st = self.state
        if st.pending is not None:
            raise RuntimeError("ask() called twice: tell() the fitness of the last ask first")
        if self.done:
            raise RuntimeError(f"the run is done after {self.num_steps} generations")
        if st.generation == 0:
            z = self._randn() * self.init_scale
            if self.config.adapt != "none":  # the frame starts as N(0, init_scale² I)
                st.frame = init_frame(z[0].numel(), self.popsize, self.config.adapt,
                                      self.init_scale, rate=self.config.adapt_rate)  # fmt: skip
        else:
            a_t, a_prev = self._alpha_pair()
            scores = self._scores(st.fitness, st.violation)
            pop, noise = st.latent, self._randn()
            if st.frame is not None:  # the diffusion runs in the frame's O(1) coordinates
                pop, noise = to_frame(st.frame, pop).float(), noise.cpu().float()
            log_g = self.log_density(scores).to(pop.device)  # the frame lives on the CPU
            c = self.config
            if c.step == "recombine":  # strategy.recombination
                z = recombine_step(pop, log_g, a_t, c.recombine_rate, c.spread_scale, noise,
                                   self.generator, st.fitness if c.objectives > 1 else None,
                                   c.niche, c.sparse_noise)  # fmt: skip
            else:
                x0 = estimate_x0(pop, log_g, a_t, fused=st.frame is not None)
                z = ddim_step(pop, x0, a_t, a_prev, self.sigma, noise.reshape(pop.shape))
            if st.frame is not None:
                z = from_frame(st.frame, z, st.latent)
        st.pending = z
        if self.bounds is None:
            return z.clone()
        self._folded = (z, fold(z, self.bounds_mode))  # tell folds the same z: once suffices
        return box_point(self._folded[1], *self.bounds)

    @small_threads
    def tell(
        self,
        fitness: Any,
        keys: Sequence[Hashable] | None = None,
        violation: Any | None = None,
        solutions: torch.Tensor | None = None,
    ) -> TellResult:
        """Record the fitness of the last ``ask`` and select the next population.

        Args:
            fitness: N values (tensor, array or list), or (N, M) with ``objectives=M``
                (ranked by Pareto dominance). NaN and +-inf are treated as the
                worst possible fitness: never elites, zero weight in x0 and roulette.
            keys: optional hashable identities of the asked members (e.g. decoded
                architectures); members with equal keys count as one in selection.
            violation: optional N non-negative constraint violations (0 = feasible).
                Feasibility comes first: every infeasible member scores below every
                feasible one, infeasible ones ordered by violation; the best solution
                is the best feasible one.
            solutions: the points actually evaluated, when the caller changed what
                ``ask`` returned (a repair, a mutation, an injected known point); same
                shape, in problem space (inside the bounds when there are bounds).

        Returns:
            TellResult: ``survivors``, the indices of the new population in
            ``parents ∪ offspring`` (parents first; no parents at the first tell), and
            ``metrics``, this generation's history row.
        """
        st = self.state
        if st.pending is None:
            raise RuntimeError("tell() called without a preceding ask()")
        f = self._as_fitness(fitness)
        cv = None if violation is None else self._as_fitness(violation, "violation")
        if cv is not None and ((cv < 0) | ~torch.isfinite(cv)).any():
            raise ValueError("violation must be finite and >= 0 (0 means feasible)")
        if (cv is None) != (st.violation is None) and st.generation > 0 and self.selection:
            raise ValueError("give violation= in every tell of a run or in none")
        if keys is not None:
            keys = list(keys)
            if len(keys) != self.popsize:
                raise ValueError(f"keys must have length popsize={self.popsize}, got {len(keys)}")
        z = st.pending
        if solutions is not None:
            z = self._as_latent(solutions, z.shape)
        elif self.bounds is not None:  # keep the latent in [-1, 1]: no reflected copies
            cached = getattr(self, "_folded", None)
            z = cached[1] if cached is not None and cached[0] is z else fold(z, self.bounds_mode)
        st.pending, self._folded = None, None
        self._update_best(z, f, cv)
        if st.frame is not None:  # before selection replaces the parents
            parents = None if st.fitness is None else self._scores(st.fitness, st.violation)
            success = success_rate(self._scores(f, cv), parents)
        n_parents = 0 if st.latent is None else st.latent.shape[0]
        if st.generation == 0 or not self.selection:
            st.latent, st.fitness, st.keys, st.violation = z, f, keys, cv
            idx = torch.arange(self.popsize, device=z.device) + n_parents
        else:
            pool_x = torch.cat([st.latent, z])
            pool_f = torch.cat([st.fitness, f])
            pool_cv = None if cv is None else torch.cat([st.violation, cv])
            pool_keys = None if keys is None or st.keys is None else st.keys + keys
            scores = self._scores(pool_f, pool_cv)
            idx = select(
                pool_x, scores, self.log_density(scores), self.popsize, self.generator,
                self.elite_frac, self.diversity_frac, self.roulette, pool_keys,
            )  # fmt: skip
            st.latent, st.fitness = pool_x[idx], pool_f[idx]
            st.violation = None if pool_cv is None else pool_cv[idx]
            st.keys = None if pool_keys is None else [pool_keys[i] for i in idx.tolist()]
        if st.frame is not None:  # move/rescale/reshape the frame from the ranked offspring
            update_frame(st.frame, z, self._scores(f, cv), success)
        st.generation += 1
        st.evaluations += self.popsize
        row = summary_row(st, f, keys, self.maximize)
        row["offspring_survived"] = int((idx >= n_parents).sum())
        st.history.append(row)
        return TellResult(survivors=idx, metrics=dict(row))

    def run(
        self, objective: Callable[[torch.Tensor], Any], callback: Callable | None = None
    ) -> tuple[torch.Tensor, float]:
        """Ask/tell until done; ``callback(strategy)`` after each generation.

        Returns:
            ``(best_solution, best_fitness)``.
        """
        while not self.done:
            self.tell(objective(self.ask()))
            if callback is not None:
                callback(self)
        return self.best_solution, self.best_fitness

    # ------------------------------------------------------------------ results
    @property
    def best_solution(self) -> torch.Tensor | None:
        """Best solution told so far, in problem space."""
        b = self.state.best_latent
        return None if b is None else self.to_problem(b.unsqueeze(0))[0]

    @property
    def best_fitness(self) -> float | None:
        """Fitness of ``best_solution``."""
        return self.state.best_fitness

    @property
    def population(self) -> torch.Tensor | None:
        """Current population in problem space."""
        return None if self.state.latent is None else self.to_problem(self.state.latent)

    @property
    def fitness(self) -> torch.Tensor | None:
        """Fitness of the current population."""
        return self.state.fitness

    @property
    def history(self) -> list[dict[str, Any]]:
        """Per-generation figures: best so far, generation best/mean, spread."""
        return self.state.history

    def to_problem(self, z: torch.Tensor) -> torch.Tensor:
        """Map latent points to the problem space (identity without bounds)."""
        if self.bounds is None:
            return z.clone()
        return to_problem(z, *self.bounds, self.bounds_mode)

    def _as_latent(self, solutions: Any, shape: torch.Size) -> torch.Tensor:
        """Validate problem-space ``solutions`` and map them to the latent space."""
        sol = torch.as_tensor(solutions).to(device=self.device, dtype=self.dtype)
        if sol.shape != shape or not torch.isfinite(sol).all():
            raise ValueError(f"solutions must be finite with shape {tuple(shape)}")
        if self.bounds is None:
            return sol.clone()
        lo, hi = self.bounds
        if ((sol < lo) | (sol > hi)).any():
            raise ValueError("solutions must lie inside the bounds")
        return to_latent(sol, lo, hi)

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict[str, Any]:
        """A copy of the state and RNG, enough to continue bit-identically."""
        st = replace(self.state, history=[dict(h) for h in self.state.history],
                     frame=copy.deepcopy(self.state.frame))  # fmt: skip
        return {
            "config": self._config(),
            "bounds": None if self.bounds is None else [b.cpu().clone() for b in self.bounds],
            "state": st.__dict__.copy(),
            "rng_state": self.generator.get_state().clone(),
        }

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore a ``state_dict()`` taken from a strategy of the same configuration."""
        try:
            config, state, rng = state_dict["config"], state_dict["state"], state_dict["rng_state"]
        except (KeyError, TypeError) as exc:
            raise ValueError("not an EvolutionaryDDIM state_dict") from exc
        check_same_config(config, self._config(), _NEW_OPTIONS)
        if not same_bounds(state_dict.get("bounds"), self.bounds):
            raise ValueError("state_dict was taken with other bounds than this strategy's")
        moved = {
            k: (v.to(self.device) if isinstance(v, torch.Tensor) else v) for k, v in state.items()
        }
        self.state = DDIMState(**moved)
        self.state.history = [dict(h) for h in state["history"]]
        self.state.frame = copy.deepcopy(state.get("frame"))
        self.generator.set_state(rng.clone())

    def __getstate__(self) -> dict[str, Any]:
        d = self.__dict__.copy()
        d["generator"] = self.generator.get_state()
        return d

    def __setstate__(self, d: dict[str, Any]) -> None:
        rng = d.pop("generator")
        self.__dict__.update(d)
        self.generator = torch.Generator()
        self.generator.set_state(rng)

    # ------------------------------------------------------------------ helpers
    def _config(self) -> dict[str, Any]:
        return {"shape": list(self.shape), **self.config.to_dict()}

    def _alpha_pair(self) -> tuple[float, float]:
        """``(alpha_t, alpha_{t-1})`` of this generation's step; with ``adapt_cycle = c``
        the diffusion repeats a ``c``-step schedule (the frame carries the progress)."""
        c = self.config.adapt_cycle
        if not c:
            t = self.timestep
            return float(self.alphas[t]), float(self.alphas[t - 1])
        t = c - 1 - (self.state.generation - 1) % (c - 1)
        return float(self.cycle_alphas[t]), float(self.cycle_alphas[t - 1])

    def _randn(self) -> torch.Tensor:
        z = torch.randn((self.popsize, *self.shape), generator=self.generator, dtype=self.dtype)
        return z.to(self.device)

    def _scores(self, f: torch.Tensor, cv: torch.Tensor | None = None) -> torch.Tensor:
        """Higher-is-better scores; non-finite -> -inf; infeasible below all feasible."""
        s = f if self.maximize else -f
        if s.ndim == 2:  # vector fitness: -front index + crowding (strategy.pareto)
            s = pareto_scores(s)
        s = torch.where(torch.isfinite(s), s, torch.full_like(s, -torch.inf))
        if cv is not None and (cv > 0).any():  # see strategy.constraints
            c = self.config
            s = constrained_scores(
                s, cv, c.constraint_handling, self.state.generation / self.num_steps,
                self.generator, level=c.epsilon_level, until=c.epsilon_until, pf=c.ranking_pf,
            )  # fmt: skip
        return s

    def _as_fitness(self, fitness: Any, what: str = "fitness") -> torch.Tensor:
        if what == "fitness" and self.config.objectives > 1:
            return as_objectives(fitness, self.popsize, self.config.objectives, self.device)
        return as_fitness(fitness, self.popsize, self.device, what)

    def _update_best(self, z: torch.Tensor, f: torch.Tensor, cv: torch.Tensor | None) -> None:
        f = f[:, 0] if f.ndim == 2 else f  # vector fitness: best by the first objective
        s = self._scores(f)
        if cv is not None:
            s = torch.where(cv > 0, torch.full_like(s, -torch.inf), s)
        if not torch.isfinite(s).any():
            return
        i = int(torch.argmax(s))
        best = self.state.best_fitness
        if best is None or (f[i] > best if self.maximize else f[i] < best):
            self.state.best_latent, self.state.best_fitness = z[i].clone(), float(f[i])
