"""EDNAG as a pymoo algorithm: ``minimize(problem, EDNAG(pop_size=30, n_steps=100), ...)``.

One pymoo generation is one ask/tell of ``EvolutionaryDDIM``. The problem's variables are
encoded as a box of latent coordinates (``pymoo_encoding.VariableEncoding``); constraint
violations are passed as ``violation=``. A run of ``n_steps`` generations is one diffusion;
when the termination asks for more, it restarts (see ``EDNAG``). With ``n_obj >= 2`` the
strategy ranks by Pareto dominance and ``res.F`` / ``res.X`` are the non-dominated
solutions evaluated (``res.opt``), as with pymoo's own algorithms.
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import torch
from pymoo.core.algorithm import Algorithm
from pymoo.core.individual import Individual
from pymoo.core.population import Population
from pymoo.core.problem import Problem
from pymoo.core.repair import Repair
from pymoo.core.sampling import Sampling
from pymoo.termination.max_eval import MaximumFunctionCallTermination
from pymoo.termination.max_gen import MaximumGenerationTermination
from pymoo.util.display.multi import MultiObjectiveOutput
from pymoo.util.optimum import filter_optimum

from ..strategy import EvolutionaryDDIM
from ..strategy.blackbox import multiobjective_config
from ..strategy.config import DDIMConfig
from .pymoo_encoding import VariableEncoding, copy_evaluation
from .pymoo_epsilon import EpsilonLevel, check_control
from .pymoo_options import check_algorithm_options
from .pymoo_output import EDNAGOutput
from .pymoo_restarts import (
    check_pop,
    check_share,
    continuous_pop_size,
    end_global_phase,
    plan_global_phase,
    restart_seed,
)
from .pymoo_variation import check_rates, preset_mixing, recombine

__all__ = ["EDNAG", "EDNAGOutput", "PYMOO_CONFIG", "PYMOO_CONTINUOUS_CONFIG", "restart_seed"]

#: The adapter's own preset for pymoo problems (tuned on seeds 100-199 of pymoo's
#: single-objective problems, see docs/results_pymoo.md); ``strategy_options`` and the
#: named arguments override it. It differs from the strategy's NAS defaults.
PYMOO_CONFIG = DDIMConfig(dtype=torch.float64, constraint_handling="epsilon")

#: The preset for unconstrained single-objective problems with only real variables
#: (``config=None``): the diffusion runs in an adapted frame (``adapt="full"``: CMA-like
#: location, scale and shape, one denoising cycle every 2 generations), truncation
#: selection and, with ``pop_size=None``, twice CMA-ES's population:
#: ``2 (4 + floor(3 ln D))`` (``continuous_pop_size``; 20 for D = 10).
#: When the frame collapses (scale below ``COLLAPSE``) the run restarts with a doubled
#: population (IPOP), warm-started from the best so far.
PYMOO_CONTINUOUS_CONFIG = PYMOO_CONFIG.replace(
    adapt="full", adapt_cycle=2, roulette=False, diversity_frac=0.0, elite_frac=0.1
)
COLLAPSE = 1e-12
#: ``mixing`` of the continuous preset (``mixing=None``)
CONTINUOUS_MIXING = 0.3



class EDNAG(Algorithm):
    """Evolutionary diffusion (EDNAG, the paper's Algorithm 1) as a pymoo algorithm.

    Args:
        pop_size: population size N; None: ``config.popsize``, or
            ``continuous_pop_size(D)`` with the continuous preset (see ``config``).
        n_steps: diffusion length T in generations; ``None`` (default) fits one diffusion
            to an ``("n_gen", G)`` or ``("n_eval", E)`` termination (T = G or
            ceil(E / N)), else 100. When the termination asks for more generations, the
            diffusion restarts: a fresh strategy seeded with ``restart_seed(seed, r)``.
        sampling: the first population, as pymoo's algorithms take it: a ``Sampling``
            (e.g. ``LHS()``), a ``Population`` or an array of solutions (as many as
            ``pop_size``, fewer are completed by the strategy's own draw). Default: the
            strategy's draw.
        repair: a pymoo ``Repair`` applied to every asked solution before evaluation;
            the strategy continues from the repaired points.
        mixing: share of the coordinates each offspring takes from another random offspring
            of its generation (uniform crossover among the denoised samples: a draw from
            the product of their marginals on those coordinates); 0 is the plain
            diffusion; None: 0.3.
        crossover: DE-like binomial crossover with the parent (``pymoo_variation``): share
            of coordinates from the denoised sample, the others from its parent; None: 1, off.
        global_share: with the continuous preset and an ``("n_eval", E)`` termination, the
            share of E spent first without the frame (``pymoo_restarts``); None: 0.7, 0: off.
        global_pop: the global phase's population; None: 30.
        epsilon_control: ``"state"``: on constrained problems, an epsilon level fixed by
            the first population (``pymoo_epsilon``); None: the strategy's (per generation).
        warm_start: restarts keep the best solution so far as one member of their first
            population (with its known evaluation, not re-evaluated).
        eliminate_duplicates: look up solutions evaluated before instead of evaluating them
            again, so ``ask`` returns only new ones and ``n_eval`` counts unique evaluations.
            Default: True when every variable is discrete (Integer, Binary, Choice).
        sigma, schedule, fitness_map, temperature, elite_frac, diversity_frac, bounds_mode,
            init_scale, constraint_handling: ``DDIMConfig`` fields (None: ``config``'s).
        config: the strategy's hyperparameters. None: ``PYMOO_CONTINUOUS_CONFIG`` (adapted
            frame, IPOP restarts) on unconstrained single-objective problems with only real
            variables, ``multiobjective_config()`` (population 100, no mixing) on such
            problems with several objectives, else ``PYMOO_CONFIG``; ``DDIMConfig()``: the
            strategy's NAS defaults.
        strategy_options: further ``EvolutionaryDDIM`` keyword arguments.
        output: pymoo display columns (default ``EDNAGOutput``).
        **kwargs: pymoo ``Algorithm`` options (termination, seed, verbose, callback,
            save_history, ...).

    Raises:
        TypeError: an option that neither EDNAG nor pymoo's ``Algorithm`` knows (a
            misspelt ``popsize`` would otherwise be silently ignored by pymoo).
    """

    def __init__(
        self,
        pop_size: int | None = None,
        n_steps: int | None = None,
        *,
        sampling: Sampling | Population | np.ndarray | None = None,
        repair: Repair | None = None,
        warm_start: bool = True,
        eliminate_duplicates: bool | None = None,
        sigma: float | None = None,
        schedule: str | None = None,
        fitness_map: str | Callable | None = None,
        temperature: float | None = None,
        elite_frac: float | None = None,
        diversity_frac: float | None = None,
        bounds_mode: str | None = None,
        init_scale: float | None = None,
        constraint_handling: str | None = None,
        mixing: float | None = None,
        crossover: float | None = None,
        global_share: float | None = None,
        global_pop: int | None = None,
        epsilon_control: str | None = None,
        config: DDIMConfig | None = None,
        strategy_options: dict[str, Any] | None = None,
        output: EDNAGOutput | None = None,
        **kwargs: Any,
    ) -> None:
        check_algorithm_options(kwargs, inspect.signature(EDNAG.__init__).parameters)
        super().__init__(output=EDNAGOutput() if output is None else output, **kwargs)
        self._preset = config is None, pop_size is None, mixing is None  # chosen in _setup
        config = PYMOO_CONFIG if config is None else config
        if not isinstance(config, DDIMConfig):
            raise TypeError(f"config must be a DDIMConfig, got {type(config).__name__}")
        pop_size = config.popsize if pop_size is None else pop_size
        if isinstance(pop_size, bool) or not isinstance(pop_size, int) or pop_size < 2:
            raise ValueError(f"pop_size must be an integer >= 2, got {pop_size!r}")
        if n_steps is not None and (not isinstance(n_steps, int) or n_steps < 2):
            raise ValueError(f"n_steps must be an integer >= 2 or None, got {n_steps!r}")
        if repair is not None and not isinstance(repair, Repair):
            raise TypeError(f"repair must be a pymoo Repair, got {type(repair).__name__}")
        if sampling is not None and not isinstance(sampling, Sampling | Population | np.ndarray):
            raise TypeError("sampling must be a pymoo Sampling, a Population or an array, "
                            f"got {type(sampling).__name__}")  # fmt: skip
        self.pop_size, self.n_steps, self.warm_start = pop_size, n_steps, bool(warm_start)
        self.sampling, self.repair = sampling, repair
        self.mixing, self.crossover = check_rates(mixing, crossover)
        self.global_share, self.global_pop = check_share(global_share), check_pop(global_pop)
        self.epsilon_control, self._eps = check_control(epsilon_control), None
        self._mix_rng: np.random.Generator | None = None
        self.eliminate_duplicates = eliminate_duplicates
        named = dict(
            sigma=sigma, schedule=schedule, fitness_map=fitness_map, temperature=temperature,
            elite_frac=elite_frac, diversity_frac=diversity_frac, bounds_mode=bounds_mode,
            init_scale=init_scale, constraint_handling=constraint_handling,
        )  # fmt: skip
        changes = {k: v for k, v in named.items() if v is not None}
        self._changes = changes
        self.config = config.replace(**changes) if changes else config
        self._run_pop = self.pop_size
        self._base = self.config, self.pop_size, self.mixing
        self.strategy_options: dict[str, Any] = dict(strategy_options or {})
        self.strategy: EvolutionaryDDIM | None = None
        self.encoding: VariableEncoding | None = None
        self.restarts = 0
        self.steps = n_steps
        self.base_seed: int | None = None
        self._dedup = False
        self._seen: dict[Hashable, Individual] = {}
        self._batch: tuple | None = None

    # ------------------------------------------------------------------ setup
    def _setup(self, problem: Problem, **kwargs: Any) -> None:
        if problem.n_obj > 1 and isinstance(self.output, EDNAGOutput):
            self.output = self.display.output = MultiObjectiveOutput()  # pymoo's columns
        self.encoding = VariableEncoding.from_problem(problem)
        self._choose_preset(problem)
        self._eps = EpsilonLevel.for_algorithm(self, problem)  # Takahama-Sakai level
        self._run_pop = self.pop_size
        if self.seed is None:
            self.base_seed = int(self.random_state.integers(2**31 - 1))
        else:
            self.base_seed = int(self.seed)
        self.steps = self.n_steps if self.n_steps is not None else self._fit_steps()
        plan_global_phase(self)  # the continuous preset: a frame-free diffusion first
        dedup = self.eliminate_duplicates
        self._dedup = self.encoding.size is not None if dedup is None else bool(dedup)
        self._seen, self._batch, self.restarts, self.strategy = {}, None, 0, None
        self._mix_rng = np.random.default_rng([self.base_seed, 1])

    def _choose_preset(self, problem: Problem) -> None:
        """``config=None`` on an unconstrained, single-objective problem with only real
        variables: ``PYMOO_CONTINUOUS_CONFIG`` (and, with ``pop_size=None``, its population
        ``continuous_pop_size(D)``; with ``mixing=None``, ``CONTINUOUS_MIXING``)."""
        default_config, default_pop, default_mixing = self._preset
        self.config, self.pop_size, self.mixing = self._base
        real = not (problem.has_constraints() or self.encoding.mixed or self.encoding.discrete)
        continuous = real and problem.n_obj == 1
        if default_config and default_mixing:  # no mixing on constrained 2-D problems
            self.mixing = preset_mixing(problem, self.encoding, self.mixing)
        if default_config and real and problem.n_obj > 1:  # the recombination step mixes
            self.config = multiobjective_config(**self._changes)
            self.pop_size = self.config.popsize if default_pop else self.pop_size
            self.mixing = 0.0 if default_mixing else self.mixing
        if not (default_config and continuous):
            return
        cfg = PYMOO_CONTINUOUS_CONFIG
        self.config = cfg.replace(**self._changes) if self._changes else cfg
        if default_pop:
            self.pop_size = continuous_pop_size(self.encoding.dim)
        if default_mixing:
            self.mixing = CONTINUOUS_MIXING

    def _fit_steps(self, used: int = 0) -> int:
        term = self.termination
        if isinstance(term, MaximumGenerationTermination) and math.isfinite(term.n_max_gen):
            return max(2, int(term.n_max_gen))
        if isinstance(term, MaximumFunctionCallTermination) and math.isfinite(term.n_max_evals):
            return max(2, math.ceil((term.n_max_evals - used) / self._run_pop))
        return 100

    def _collapsed(self) -> bool:
        """The frame's scale fell below ``COLLAPSE``: the run has converged (IPOP restart)."""
        es = self.strategy
        if es.state.frame is None or not es.history:
            return False
        return es.history[-1].get("frame_scale", math.inf) < COLLAPSE

    def _new_strategy(self, restart: int) -> EvolutionaryDDIM:
        enc = self.encoding
        return EvolutionaryDDIM(
            shape=(enc.dim,), popsize=self._run_pop, num_steps=self.steps,
            seed=restart_seed(self.base_seed, restart), maximize=False,
            config=self.config.replace(objectives=self.problem.n_obj),
            bounds=(enc.lower, enc.upper), **self.strategy_options,
        )  # fmt: skip

    # ------------------------------------------------------------------ infill / advance
    def _initialize_infill(self) -> Population:
        self.strategy = self._new_strategy(0)
        return self._ask(start=self._initial_points())

    def _initialize_advance(self, infills: Population | None = None, **kwargs: Any) -> None:
        self.pop = None  # pymoo set it to the infills; the strategy decides the population
        self._tell(infills)

    def _infill(self) -> Population:
        if (frame_start := end_global_phase(self)) is not None:
            return frame_start
        if self._collapsed():  # IPOP: double the population, one diffusion over the rest
            self._run_pop *= 2
            self.restarts += 1
            if self.n_steps is None:
                self.steps = self._fit_steps(used=self.evaluator.n_eval)
            self.strategy = self._new_strategy(self.restarts)
            return self._ask(warm=self.warm_start)
        if self.strategy.done:
            self.restarts += 1
            self.strategy = self._new_strategy(self.restarts)
            return self._ask(warm=self.warm_start)
        return self._ask()

    def _advance(self, infills: Population | None = None, **kwargs: Any) -> None:
        self._tell(infills)

    def _ask(self, warm: bool = False, start: np.ndarray | None = None) -> Population:
        es, enc = self.strategy, self.encoding
        u = es.ask().cpu().numpy()
        changed = start is not None
        if es.generation > 0:  # recombination among the offspring and with the parents
            par = None  # the parents: member i of the population is sample i's
            if self.crossover < 1 and self.pop is not None and len(self.pop) == len(u):
                par = np.stack(self.pop.get("u")).astype(u.dtype)
            u, mixed = recombine(u, par, self.mixing, self.crossover, self._mix_rng)
            changed = changed or mixed
        if start is not None:  # the first population from ``sampling``
            u[: len(start)] = start
        best = self.opt[0] if warm and self.opt is not None and len(self.opt) else None
        if best is not None:  # replace the first member by the best so far (tell(solutions=))
            u[0] = best.get("u")
        x = enc.decode(u)
        full = Population.new("X", x if enc.mixed else np.asarray(x))
        if self.repair is not None:
            x = self._repaired(full, u, skip=best is not None)
            changed = True
        full.set("u", u)
        keys = enc.keys(x) if enc.discrete or self._dedup else None
        new, dup_of = [], {}
        first: dict[Hashable, int] = {}
        for i in range(len(full)):
            if i == 0 and best is not None:
                copy_evaluation(best, full[0])
            elif self._dedup and keys[i] in self._seen:
                copy_evaluation(self._seen[keys[i]], full[i])
            elif self._dedup and keys[i] in first:
                dup_of[i] = first[keys[i]]
            else:
                if self._dedup:
                    first[keys[i]] = i
                new.append(i)
        self._batch = (full, keys, new, dup_of, changed or best is not None)
        return full[new]

    def _initial_points(self) -> np.ndarray | None:
        """Box points of the first population from ``sampling`` (None: the strategy's)."""
        s = self.sampling
        if s is None:
            return None
        if isinstance(s, Sampling):
            s = s.do(self.problem, self.pop_size, random_state=self.random_state)
        x = s.get("X") if isinstance(s, Population) else np.asarray(s)
        if len(x) == 0 or len(x) > self.pop_size:
            raise ValueError(f"sampling must give 1 to pop_size={self.pop_size} solutions, "
                             f"got {len(x)}")  # fmt: skip
        x = list(x) if self.encoding.mixed else np.asarray(x, dtype=np.float64)
        return self._to_box(x)

    def _to_box(self, x: Any) -> np.ndarray:
        enc = self.encoding
        return np.clip(enc.encode(x), enc.lower, enc.upper)

    def _repaired(self, full: Population, u: np.ndarray, skip: bool) -> Any:
        """Apply ``repair`` to ``full`` in place; ``u`` follows the repaired solutions."""
        part = full[1:] if skip else full
        self.repair.do(self.problem, part, random_state=self.random_state, algorithm=self)
        x = full.get("X")
        x = list(x) if self.encoding.mixed else np.asarray(x, dtype=np.float64)
        u[int(skip):] = self._to_box(x[int(skip):])
        return x if self.encoding.mixed else np.asarray(x)

    def _tell(self, infills: Population | None) -> None:
        if self._batch is None:
            raise RuntimeError("tell() without a preceding ask()")
        full, keys, new, dup_of, changed = self._batch
        n = 0 if infills is None else len(infills)
        if n != len(new):
            raise ValueError(f"tell() expects the {len(new)} solutions of the last ask(), got {n}")
        for j, i in enumerate(new):
            if not infills[j].evaluated:
                raise ValueError("tell() needs evaluated solutions: call evaluator.eval first")
            infills[j].set("u", full[i].get("u"))
            full[i] = infills[j]
        for i, src in dup_of.items():
            copy_evaluation(full[src], full[i])
        if self._dedup:
            for i in new:
                self._seen[keys[i]] = full[i]
        f = full.get("F").astype(np.float64)
        f = f[:, 0] if f.shape[1] == 1 else f  # n_obj >= 2: (N, M), ranked by dominance
        cv = full.get("CV")[:, 0].astype(np.float64) if self.problem.has_constraints() else None
        first = self.pop is None or len(self.pop) == 0 or self.strategy.generation == 0
        if self._eps is not None and cv is not None:
            cv = self._eps.tell_violations(self, cv, first)
        pool = full if first else Population.merge(self.pop, full)  # a restart: no parents
        sol = torch.as_tensor(np.stack(full.get("u"))) if changed else None
        told = self.strategy.tell(f, keys=keys, violation=cv, solutions=sol)
        self._batch = None
        self.pop, self.off = pool[told.survivors.cpu().numpy()], full
        if self._dedup and len(self._seen) == self.encoding.size:
            self.termination.terminate()  # every solution has been evaluated: nothing is left

    def _set_optimum(self) -> None:
        cands = [p for p in (self.opt, self.pop, self.off) if p is not None and len(p)]
        pool = cands[0] if len(cands) == 1 else Population.merge(*cands)
        finite = np.isfinite(pool.get("F")).all(axis=1)
        if finite.any():  # NaN would win pymoo's argmin
            pool = pool[finite]
        self.opt = filter_optimum(pool, least_infeasible=True)

    # ------------------------------------------------------------------ convenience
    @property
    def n_distinct(self) -> int:
        """Distinct solutions evaluated so far (tracked with ``eliminate_duplicates``)."""
        return len(self._seen)
