"""The generation driver: the one place that couples strategy, search space and fitness.

```
EvolutionaryDDIM.ask() -> x (N, D1, D2) -> space.decode(x) -> archs -> fitness(archs) -> tell
```
Every fitness goes through :class:`~ednag_opt.fitness.CachedFitness`, so an architecture
is evaluated once however often it is generated; ``unique_queries`` counts those
evaluations. An offspring that decodes to an architecture already queried (or repeated
within its batch) costs nothing but teaches nothing; ``novelty`` decides what happens to
it before evaluation:

- ``"parent"`` (default): its latent is replaced by that of a parent picked by a
  tournament of 5 in the current population, then mutated in one row (one edge/op)
  until it decodes to a new architecture (at most ``novelty_tries`` times);
- ``"mutate"``: its own latent is mutated the same way;
- ``False``: it is evaluated as is (from the cache), as in the paper.

With a query budget the diffusion restarts from noise whenever a run ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from .fitness import CachedFitness, FitnessSource
from .spaces import SearchSpace, get_space
from .strategy import EvolutionaryDDIM
from .strategy.mutation import mutate_rows

__all__ = ["GenerationResult", "generate", "canonical_key", "PRESETS"]

#: Named strategy configurations. ``"paper"`` is the configuration of the EDNAG paper and
#: its reference code (cosine schedule, sigma 0.8, energy map, no novelty); its ablations
#: are ``"naive"`` (plain diffusion evolution) and ``"fd"`` (fitness-guided denoising
#: without selection); ``"fd-selection"`` is the paper's full method, the same as
#: ``"paper"``, named for the ablation ladder. ``"naive"`` uses the identity map, which needs
#: non-negative fitness (accuracies). ``"default"`` is ours.
PRESETS: dict[str, dict[str, Any]] = {
    "default": dict(popsize=10, num_steps=30, novelty="parent"),
    "paper": dict(schedule="cosine", sigma=0.8, fitness_map="energy", novelty=False),
    "fd-selection": dict(schedule="cosine", sigma=0.8, fitness_map="energy", novelty=False),
    "fd": dict(schedule="cosine", fitness_map="energy", selection=False, novelty=False),
    "naive": dict(schedule="cosine", fitness_map="identity", selection=False, novelty=False),
}


@dataclass
class GenerationResult:
    """Outcome of :func:`generate`.

    Attributes:
        space: the search space.
        best_arch, best_fitness: best architecture ever queried and its fitness.
        population, population_fitness: the final population (architectures, values).
        unique_queries, total_queries: distinct and total fitness queries.
        wall_time: seconds spent in :func:`generate`.
        history: one dict per generation (run, generation, queries, best, mean, distinct).
        cache: the :class:`CachedFitness` holding every queried value in query order.
        maximize: direction of the fitness.
    """

    space: SearchSpace
    best_arch: Any
    best_fitness: float
    population: list
    population_fitness: torch.Tensor
    unique_queries: int
    total_queries: int
    wall_time: float
    history: list[dict[str, Any]] = field(default_factory=list)
    cache: CachedFitness | None = None
    maximize: bool = True

    def top_k(self, k: int = 5) -> list[tuple[Any, float]]:
        """The final population's ``k`` best distinct architectures, best first."""
        order = torch.argsort(self.population_fitness, descending=self.maximize, stable=True)
        seen, out = set(), []
        for i in order.tolist():
            key = canonical_key(self.population[i])
            if key not in seen:
                seen.add(key)
                out.append((self.population[i], float(self.population_fitness[i])))
            if len(out) == k:
                break
        return out

    def to_dict(self, k: int = 5) -> dict[str, Any]:
        """JSON-ready summary."""
        return {
            "space": self.space.name,
            "best_arch": str(self.best_arch),
            "best_fitness": self.best_fitness,
            "top_k": [{"arch": str(a), "fitness": f} for a, f in self.top_k(k)],
            "unique_queries": self.unique_queries,
            "total_queries": self.total_queries,
            "wall_time": self.wall_time,
            "maximize": self.maximize,
            "history": self.history,
        }


def generate(
    space: str | SearchSpace,
    fitness: FitnessSource | Callable[[Sequence[Any]], Any],
    *,
    popsize: int | None = None,
    num_steps: int | None = None,
    seed: int = 0,
    preset: str = "default",
    max_queries: int | None = None,
    target: float | None = None,
    novelty: str | bool | None = None,
    novelty_tries: int = 10,
    maximize: bool | None = None,
    callback: Callable[[dict[str, Any]], None] | None = None,
    **strategy_kwargs: Any,
) -> GenerationResult:
    """Generate architectures of ``space`` that score well under ``fitness``.

    Args:
        space: a search-space name (see ``ednag_opt.spaces.list_spaces()``) or object.
        fitness: a fitness source or a plain function of a list of architectures.
        popsize, num_steps: population size N and diffusion steps T of one run (default:
            the preset's, else the paper's 30 and 100; ``"default"`` uses 10 and 30,
            which needs the fewest queries on NAS-Bench-201, see docs/results_nas.md).
        seed: seeds everything (strategy, restarts, mutations): same seed, same result.
        preset: a key of :data:`PRESETS`; explicit keyword arguments override it.
        max_queries: budget of unique fitness queries. ``None``: one run of ``num_steps``
            generations. Otherwise runs restart until the budget is spent; the last
            generation is completed, so up to ``popsize - 1`` extra queries can be made
            (``cache.history`` lists them in order, to judge a run on its first queries).
        target: stop as soon as a fitness at least this good has been queried.
        novelty: ``"parent"``, ``"mutate"`` or ``False``: what to do with offspring that
            decode to already-queried architectures (see the module docstring).
        novelty_tries: mutation attempts per duplicate offspring.
        maximize: direction; default from ``fitness.maximize`` (True for functions).
        callback: called with each generation's history row.
        **strategy_kwargs: passed to :class:`EvolutionaryDDIM` (sigma, fitness_map, ...).
    """
    t0 = time.perf_counter()
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
    config = {**PRESETS[preset], **strategy_kwargs}
    preset_novelty = config.pop("novelty", "parent")
    novelty = preset_novelty if novelty is None else novelty
    if novelty not in ("parent", "mutate", False):
        raise ValueError(f"novelty must be 'parent', 'mutate' or False, got {novelty!r}")
    popsize = popsize if popsize is not None else config.pop("popsize", 30)
    num_steps = num_steps if num_steps is not None else config.pop("num_steps", 100)
    config.pop("popsize", None)
    config.pop("num_steps", None)
    space = get_space(space) if isinstance(space, str) else space
    if isinstance(fitness, CachedFitness):
        cache = fitness
    else:  # canonical keys: isomorphic NB101 cells share one evaluation
        cache = CachedFitness(fitness, key=canonical_key)
    if maximize is None:
        maximize = bool(getattr(cache, "maximize", True))
    if max_queries is not None and max_queries < 1:
        raise ValueError(f"max_queries must be >= 1, got {max_queries}")
    better = (lambda a, b: a > b) if maximize else (lambda a, b: a < b)
    seeds = torch.Generator().manual_seed(seed)
    mut_gen = torch.Generator().manual_seed(seed + 7919)
    mask = space.mask
    history: list[dict[str, Any]] = []
    best_arch, best_f = None, None
    run, es, archs = 0, None, []

    def budget_left() -> bool:
        return max_queries is None or cache.unique_queries < max_queries

    def reached() -> bool:
        return target is not None and best_f is not None and not better(target, best_f)

    while True:
        run_seed = seed if run == 0 else int(torch.randint(2**31 - 1, (1,), generator=seeds))
        es = EvolutionaryDDIM(
            shape=space.shape, popsize=popsize, num_steps=num_steps, seed=run_seed,
            maximize=maximize, **config,
        )  # fmt: skip
        while not es.done and budget_left() and not reached():
            x = es.ask()
            archs = space.decode(x)
            if novelty and es.generation > 0:
                if novelty == "parent":
                    x, archs = _from_parents(space, x, archs, es, cache, mut_gen, maximize)
                x, archs = _make_novel(space, x, archs, cache, mask, mut_gen, novelty_tries)
            f = cache(archs)
            keys = [cache.key(a) for a in archs]
            es.tell(f, keys=keys, solutions=x if novelty else None)
            for a, v in zip(archs, f.tolist()):
                if v == v and (best_f is None or better(v, best_f)):
                    best_arch, best_f = a, v
            row = {
                "run": run,
                "generation": es.generation,
                "unique_queries": cache.unique_queries,
                "total_queries": cache.total_queries,
                "best_fitness": best_f,
                "gen_mean": float(torch.nanmean(f)),
                "distinct": len(set(keys)) / len(archs),
            }
            history.append(row)
            if callback is not None:
                callback(row)
        run += 1
        if max_queries is None or not budget_left() or reached():
            break
    pop_archs = [space.decode(es.state.latent)] if es.state.latent is not None else [[]]
    return GenerationResult(
        space=space,
        best_arch=best_arch,
        best_fitness=best_f,
        population=pop_archs[0],
        population_fitness=es.fitness.clone() if es.fitness is not None else torch.empty(0),
        unique_queries=cache.unique_queries,
        total_queries=cache.total_queries,
        wall_time=time.perf_counter() - t0,
        history=history,
        cache=cache,
        maximize=maximize,
    )


def canonical_key(arch: Any) -> str:
    """Cache key of an architecture: its canonical ``key`` (e.g. the NB101 graph hash)
    when it has one, else its string."""
    key = getattr(arch, "key", None)
    return key if isinstance(key, str) else str(arch)


def _duplicates(archs, cache) -> list[int]:
    """Positions of architectures already queried or repeated earlier in the batch."""
    seen: set[str] = set()
    dup = []
    for i, a in enumerate(archs):
        k = cache.key(a)
        if k in cache.values or k in seen:
            dup.append(i)
        seen.add(k)
    return dup


def _from_parents(space, x, archs, es, cache, generator, maximize, size=5):
    """Replace duplicate offspring by tournament-selected parents (to be mutated next)."""
    dup = _duplicates(archs, cache)
    if not dup:
        return x, archs
    x, archs = x.clone(), list(archs)
    pop, fit = es.state.latent, es.state.fitness
    score = torch.nan_to_num(fit if maximize else -fit, nan=-torch.inf).cpu()
    cand = torch.randint(pop.shape[0], (len(dup), size), generator=generator)
    winners = cand[torch.arange(len(dup)), score[cand].argmax(dim=1)]
    idx = torch.tensor(dup, device=x.device)
    x[idx] = pop[winners.to(pop.device)].to(x.dtype)
    for i, a in zip(dup, space.decode(x[idx])):
        archs[i] = a
    return x, archs


def _make_novel(space, x, archs, cache, mask, generator, tries):
    """Mutate offspring whose architecture was already queried or repeats in the batch."""
    x, archs = x.clone(), list(archs)
    for _ in range(tries):
        dup = _duplicates(archs, cache)
        if not dup:
            break
        idx = torch.tensor(dup, device=x.device)
        x[idx] = mutate_rows(x[idx], mask, generator)
        for i, a in zip(dup, space.decode(x[idx])):
            archs[i] = a
    return x, archs
