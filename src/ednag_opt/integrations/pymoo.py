"""EDNAG as a pymoo algorithm: ``minimize(problem, EDNAG(pop_size=30, n_steps=100), ...)``.

One pymoo generation is one ask/tell of ``EvolutionaryDDIM``. The problem's variables
(``xl``/``xu`` or pymoo's mixed ``vars``) are encoded as a box of latent coordinates by
``problems.pymoo_problems.VariableEncoding`` (one-hot coordinates for choices, rounded
reals for integers); constraint violations are passed as ``violation=`` (feasibility
first). A run of ``n_steps`` generations is one diffusion; when the termination asks for
more, the diffusion restarts (see ``EDNAG``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np
import torch
from pymoo.core.algorithm import Algorithm
from pymoo.core.individual import Individual
from pymoo.core.population import Population
from pymoo.core.problem import Problem
from pymoo.termination.max_eval import MaximumFunctionCallTermination
from pymoo.termination.max_gen import MaximumGenerationTermination
from pymoo.util.display.column import Column
from pymoo.util.display.single import SingleObjectiveOutput
from pymoo.util.optimum import filter_optimum

from ..problems.pymoo_problems import VariableEncoding
from ..strategy import EvolutionaryDDIM

__all__ = ["EDNAG", "EDNAGOutput", "restart_seed"]


def restart_seed(seed: int, restart: int) -> int:
    """Seed of the strategy of diffusion number ``restart`` (0: the run's own seed)."""
    if restart == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), int(restart)]).generate_state(1)[0] >> 1)


class EDNAGOutput(SingleObjectiveOutput):
    """pymoo's single-objective columns plus the diffusion's restart ``run``, timestep ``t``
    and ``spread``: the population's mean standard deviation in the unit-scaled box."""

    def __init__(self) -> None:
        super().__init__()
        self.run = Column("run", width=4)
        self.t = Column("t", width=5)
        self.spread = Column("spread", width=10)

    def initialize(self, algorithm: Algorithm) -> None:
        super().initialize(algorithm)
        self.columns += [self.run, self.t, self.spread]

    def update(self, algorithm: Algorithm) -> None:
        super().update(algorithm)
        es, enc = algorithm.strategy, algorithm.encoding
        self.run.set(algorithm.restarts)
        self.t.set(es.timestep)
        u = es.population
        if u is not None:  # spread in the problem's box scaled to [0, 1]
            unit = (u.cpu().numpy() - enc.lower) / (enc.upper - enc.lower)
            self.spread.set(float(unit.std(axis=0).mean()))


class EDNAG(Algorithm):
    """Evolutionary diffusion (EDNAG, the paper's Algorithm 1) as a pymoo algorithm.

    Args:
        pop_size: population size N (the paper: 30).
        n_steps: diffusion length T in generations; ``None`` fits one diffusion to an
            ``("n_gen", G)`` or ``("n_eval", E)`` termination (T = G or ceil(E / N)), else 100.
            When the termination asks for more generations, the diffusion restarts: a fresh
            strategy seeded with ``restart_seed(seed, r)`` for restart ``r``.
        warm_start: restarts keep the best solution so far as one member of their first
            population (with its known evaluation, not re-evaluated).
        eliminate_duplicates: look up solutions evaluated before instead of evaluating them
            again, so ``ask`` returns only new ones and ``n_eval`` counts unique evaluations.
            Default: True when every variable is discrete (Integer, Binary, Choice).
        sigma, schedule, fitness_map, temperature, elite_frac, diversity_frac, bounds_mode,
            init_scale: passed to ``EvolutionaryDDIM`` when given (None: its default).
        strategy_options: further ``EvolutionaryDDIM`` keyword arguments (the population
            lives in float64 unless ``dtype`` is given here).
        output: pymoo display columns (default ``EDNAGOutput``).
        **kwargs: pymoo ``Algorithm`` options (termination, seed, verbose, callback,
            save_history, ...).
    """

    def __init__(
        self,
        pop_size: int = 30,
        n_steps: int | None = 100,
        *,
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
        strategy_options: dict[str, Any] | None = None,
        output: EDNAGOutput | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(output=EDNAGOutput() if output is None else output, **kwargs)
        if not isinstance(pop_size, int) or pop_size < 2:
            raise ValueError(f"pop_size must be an integer >= 2, got {pop_size!r}")
        if n_steps is not None and (not isinstance(n_steps, int) or n_steps < 2):
            raise ValueError(f"n_steps must be an integer >= 2 or None, got {n_steps!r}")
        self.pop_size, self.n_steps, self.warm_start = pop_size, n_steps, bool(warm_start)
        self.eliminate_duplicates = eliminate_duplicates
        named = dict(
            sigma=sigma, schedule=schedule, fitness_map=fitness_map, temperature=temperature,
            elite_frac=elite_frac, diversity_frac=diversity_frac, bounds_mode=bounds_mode,
            init_scale=init_scale,
        )  # fmt: skip
        self.strategy_options: dict[str, Any] = {"dtype": torch.float64}
        self.strategy_options.update({k: v for k, v in named.items() if v is not None})
        self.strategy_options.update(strategy_options or {})
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
        if problem.n_obj != 1:
            raise ValueError(
                f"EDNAG optimises a single objective; this problem has n_obj={problem.n_obj}. "
                "Scalarise the objectives or use a multi-objective algorithm (e.g. NSGA2)."
            )
        self.encoding = VariableEncoding.from_problem(problem)
        if self.seed is None:
            self.base_seed = int(self.random_state.integers(2**31 - 1))
        else:
            self.base_seed = int(self.seed)
        self.steps = self.n_steps if self.n_steps is not None else self._fit_steps()
        dedup = self.eliminate_duplicates
        self._dedup = self.encoding.size is not None if dedup is None else bool(dedup)
        self._seen, self._batch, self.restarts, self.strategy = {}, None, 0, None

    def _fit_steps(self) -> int:
        term = self.termination
        if isinstance(term, MaximumGenerationTermination) and math.isfinite(term.n_max_gen):
            return max(2, int(term.n_max_gen))
        if isinstance(term, MaximumFunctionCallTermination) and math.isfinite(term.n_max_evals):
            return max(2, math.ceil(term.n_max_evals / self.pop_size))
        return 100

    def _new_strategy(self, restart: int) -> EvolutionaryDDIM:
        enc = self.encoding
        return EvolutionaryDDIM(
            shape=(enc.dim,), popsize=self.pop_size, num_steps=self.steps,
            seed=restart_seed(self.base_seed, restart), maximize=False,
            bounds=(enc.lower, enc.upper), **self.strategy_options,
        )  # fmt: skip

    # ------------------------------------------------------------------ infill / advance
    def _initialize_infill(self) -> Population:
        self.strategy = self._new_strategy(0)
        return self._ask()

    def _initialize_advance(self, infills: Population | None = None, **kwargs: Any) -> None:
        self.pop = None  # pymoo set it to the infills; the strategy decides the population
        self._tell(infills)

    def _infill(self) -> Population:
        if self.strategy.done:
            self.restarts += 1
            self.strategy = self._new_strategy(self.restarts)
            return self._ask(warm=self.warm_start)
        return self._ask()

    def _advance(self, infills: Population | None = None, **kwargs: Any) -> None:
        self._tell(infills)

    def _ask(self, warm: bool = False) -> Population:
        es, enc = self.strategy, self.encoding
        u = es.ask().cpu().numpy()
        best = self.opt[0] if warm and self.opt is not None and len(self.opt) else None
        if best is not None:  # replace the first member by the best so far (tell(solutions=))
            u[0] = best.get("u")
        x = enc.decode(u)
        full = Population.new("X", x if enc.mixed else np.asarray(x))
        full.set("u", u)
        keys = enc.keys(x) if enc.discrete or self._dedup else None
        new, dup_of = [], {}
        first: dict[Hashable, int] = {}
        for i in range(len(full)):
            if i == 0 and best is not None:
                _copy_evaluation(best, full[0])
            elif self._dedup and keys[i] in self._seen:
                _copy_evaluation(self._seen[keys[i]], full[i])
            elif self._dedup and keys[i] in first:
                dup_of[i] = first[keys[i]]
            else:
                if self._dedup:
                    first[keys[i]] = i
                new.append(i)
        self._batch = (full, keys, new, dup_of, best is not None)
        return full[new]

    def _tell(self, infills: Population | None) -> None:
        if self._batch is None:
            raise RuntimeError("tell() without a preceding ask()")
        full, keys, new, dup_of, injected = self._batch
        n = 0 if infills is None else len(infills)
        if n != len(new):
            raise ValueError(f"tell() expects the {len(new)} solutions of the last ask(), got {n}")
        for j, i in enumerate(new):
            if not infills[j].evaluated:
                raise ValueError("tell() needs evaluated solutions: call evaluator.eval first")
            infills[j].set("u", full[i].get("u"))
            full[i] = infills[j]
        for i, src in dup_of.items():
            _copy_evaluation(full[src], full[i])
        if self._dedup:
            for i in new:
                self._seen[keys[i]] = full[i]
        f = full.get("F")[:, 0].astype(np.float64)
        cv = full.get("CV")[:, 0].astype(np.float64) if self.problem.has_constraints() else None
        pool = full if self.pop is None or len(self.pop) == 0 else Population.merge(self.pop, full)
        sol = torch.as_tensor(np.stack(full.get("u"))) if injected else None
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


def _copy_evaluation(src: Individual, dst: Individual) -> None:
    for key in ("F", "G", "H"):
        v = src.get(key)
        dst.set(key, None if v is None else np.array(v, copy=True))
    dst.evaluated = set(src.evaluated or ())
