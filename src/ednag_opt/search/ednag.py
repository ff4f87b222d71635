"""The EDNAG searcher: evolutionary diffusion over a space's one-hot encoding.

```
EvolutionaryDDIM.ask() -> x (N, D1, D2) -> space.decode(x) -> archs -> tracker.query -> tell
```
An offspring that decodes to an architecture already queried (or repeated within its
batch) costs nothing but teaches nothing; ``novelty`` decides what happens to it before
evaluation:

- ``"parent"`` (default): its latent is replaced by that of a parent picked by a
  tournament of 5 in the current population, then mutated in one row (one edge/op)
  until it decodes to a new architecture (at most ``novelty_tries`` times);
- ``"mutate"``: its own latent is mutated the same way;
- ``False``: it is evaluated as is (from the cache), as in the paper.

With ``guide=True`` (the default preset) every particle after the first generation instead
takes the best new of several diffusion draws and repair moves under a cheap model of the
queries so far (``search.guided``); the moves above then only handle what is left.

Each query is labelled by its origin (``"diffusion"`` when the diffusion's sample was
evaluated as is, ``"repair"`` when the novelty move changed it), so the share of the
search carried by the diffusion is reported. With a query budget the diffusion restarts
from noise whenever a run ends; a run that adds no new query ends the search. The default's
runs last longer on large budgets (:func:`budget_steps`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import torch

from ..spaces import SearchSpace
from ..strategy import DDIMConfig, EvolutionaryDDIM
from ..strategy.mutation import mutate_rows
from .ednag_archive import denoise_flip, run_archive
from .guided import balanced_start, guided_offspring
from .pair_guide import make_guide
from .tracker import Tracker

__all__ = ["PRESETS", "EDNAGPreset", "budget_steps", "run_ednag"]

NOVELTY = ("parent", "mutate", "denoise", "toward", False)
DATA = ("population", "archive")
STARTS = ("random", "balanced", "auto")


@dataclass(frozen=True)
class EDNAGPreset:
    """A named EDNAG configuration: the strategy's hyperparameters and the novelty move."""

    strategy: DDIMConfig = field(default_factory=DDIMConfig)
    novelty: str | bool = "parent"
    diffusion: bool = True
    data: str = "population"
    guide: bool = False
    candidates: int = 16
    runs: int = 0
    start: str = "random"

    def __post_init__(self) -> None:
        if self.start not in STARTS:
            raise ValueError(f"start must be one of {STARTS}, got {self.start!r}")
        if self.data not in DATA:
            raise ValueError(f"data must be one of {DATA}, got {self.data!r}")
        if self.novelty not in NOVELTY:
            raise ValueError(f"novelty must be one of {NOVELTY}, got {self.novelty!r}")
        if not isinstance(self.diffusion, bool):
            raise TypeError(f"diffusion must be True or False, got {self.diffusion!r}")
        if not self.diffusion and self.novelty != "parent":
            raise ValueError("diffusion=False needs novelty='parent' (the move that remains)")
        if not isinstance(self.guide, bool):
            raise TypeError(f"guide must be True or False, got {self.guide!r}")
        if self.guide and (self.novelty != "parent" or self.data != "population"):
            raise ValueError("guide=True needs novelty='parent' and data='population'")
        c = self.candidates
        if isinstance(c, bool) or not isinstance(c, int) or c < 1:
            raise ValueError(f"candidates must be an integer >= 1, got {c!r}")
        r = self.runs
        if isinstance(r, bool) or not isinstance(r, int) or r < 0:
            raise ValueError(f"runs must be an integer >= 0 (0: fixed steps), got {r!r}")


_PAPER = DDIMConfig(schedule="cosine", sigma=0.8, fitness_map="energy")

#: Named configurations. ``"default"`` is ours: N=10, T=30, model-guided denoising
#: (``search.guided``: each particle takes the best new of 16 diffusion draws and 16 repair
#: moves under a ridge model of the queries so far), duplicates repaired by parent
#: tournament, and a budget-aware schedule (``runs=10``: with a budget B each diffusion run
#: lasts T = max(30, ceil(B / (10 N))) steps, see :func:`budget_steps`; T = 30 up to
#: B = 3,000). On those small budgets (where the schedule keeps T = 30) the first generation
#: of each run is a balanced design (``start="auto"``, :func:`~.guided.balanced_start`:
#: every choice of every row spread evenly over the N particles, the same noise values);
#: beyond them it is the diffusion's noise as is, so the large-budget runs are unchanged.
#: ``"random-start"`` is the default with the random first generation at every budget (the
#: default of sessions 6 and 7). ``"fixed-steps"`` is the default of session 5: T = 30
#: whatever the budget, random first generation (the schedule's ablation).
#: ``"repair-only"`` is the default with the diffusion
#: switched off (only the repair proposals remain, under the same model): the ablation
#: that shows what the diffusion contributes. ``"unguided"`` is the former default (no
#: model: the diffusion's sample as is, duplicates replaced by a tournament parent mutated
#: in one row) and
#: ``"unguided-repair-only"`` its ablation. ``"paper"`` is the configuration of the EDNAG
#: paper and its reference code (N=30, T=100, cosine schedule, sigma 0.8, energy map, no
#: novelty); its ablations are ``"naive"`` (plain diffusion evolution) and ``"fd"``
#: (fitness-guided denoising without selection); ``"fd-selection"`` is the paper's full
#: method, named for the ablation ladder. ``"naive"`` uses the identity map, which needs
#: non-negative fitness (accuracies).
_OURS = DDIMConfig(popsize=10, num_steps=30)
PRESETS: dict[str, EDNAGPreset] = {
    "default": EDNAGPreset(_OURS, "parent", guide=True, runs=10, start="auto"),
    "random-start": EDNAGPreset(_OURS, "parent", guide=True, runs=10),
    "fixed-steps": EDNAGPreset(_OURS, "parent", guide=True),
    "repair-only": EDNAGPreset(_OURS, "parent", diffusion=False, guide=True, runs=10,
                               start="auto"),  # fmt: skip
    "unguided": EDNAGPreset(_OURS, "parent"),
    "unguided-repair-only": EDNAGPreset(_OURS, "parent", diffusion=False),
    "archive": EDNAGPreset(_OURS, "denoise", data="archive"),
    "paper": EDNAGPreset(_PAPER, False),
    "fd-selection": EDNAGPreset(_PAPER, False),
    "fd": EDNAGPreset(DDIMConfig(schedule="cosine", fitness_map="energy", selection=False), False),
    "naive": EDNAGPreset(
        DDIMConfig(schedule="cosine", fitness_map="identity", selection=False), False
    ),
}


def resolve_preset(
    preset: str | EDNAGPreset,
    novelty: Any,
    popsize: Any,
    num_steps: Any,
    diffusion: Any = None,
    data: Any = None,
    guide: Any = None,
    candidates: Any = None,
    runs: Any = None,
    start: Any = None,
    **strategy: Any,
) -> EDNAGPreset:
    """The preset with explicit options applied (unknown strategy options raise); an
    explicit ``num_steps`` fixes T unless ``runs`` is given too."""
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
        preset = PRESETS[preset]
    elif not isinstance(preset, EDNAGPreset):
        raise TypeError(f"preset must be a name or an EDNAGPreset, got {type(preset).__name__}")
    sizes = {"popsize": popsize, "num_steps": num_steps}
    changes = {**{k: v for k, v in sizes.items() if v is not None}, **strategy}
    if "maximize" in changes:
        raise TypeError("give maximize= to search(), not as a strategy option")
    cfg = preset.strategy.replace(**changes) if changes else preset.strategy
    novelty = preset.novelty if novelty is None else novelty
    data = preset.data if data is None else data
    if guide is None:  # another move or x0 data switches the preset's guide off
        guide = preset.guide and novelty == "parent" and data == "population"
    if runs is None:
        runs = 0 if num_steps is not None else preset.runs
    return EDNAGPreset(
        cfg,
        novelty,
        preset.diffusion if diffusion is None else diffusion,
        data,
        guide,
        preset.candidates if candidates is None else candidates,
        runs,
        preset.start if start is None else start,
    )


def budget_steps(num_steps: int, popsize: int, max_queries: int | None, runs: int) -> int:
    """Diffusion steps T of one run under the budget-aware schedule.

    With a query budget B the search holds about ``runs`` diffusion runs: each lasts
    ``max(num_steps, ceil(B / (runs * popsize)))`` generations. A run restarts from noise
    and keeps only the guide's model, so on a large budget longer runs refine instead of
    restarting (MobileNetV3: T = 100 at 10,000 calls with N = 10); small budgets keep
    ``num_steps`` (N = 10, T = 30: unchanged up to B = 3,000 with ``runs=10``).

    Args:
        num_steps: the preset's T (the minimum).
        popsize: population size N.
        max_queries: the budget B; ``None`` keeps ``num_steps``.
        runs: runs the budget should hold; 0 keeps ``num_steps``.

    Returns:
        T for every run of the search.
    """
    if not runs or max_queries is None:
        return num_steps
    return max(num_steps, math.ceil(max_queries / (runs * popsize)))


def run_ednag(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    preset: str | EDNAGPreset = "default",
    popsize: int | None = None,
    num_steps: int | None = None,
    novelty: str | bool | None = None,
    novelty_tries: int = 10,
    diffusion: bool | None = None,
    data: str | None = None,
    hamming: float | None = None,
    guide: bool | None = None,
    candidates: int | None = None,
    runs: int | None = None,
    start: str | None = None,
    guide_features: str = "onehot",
    device: str | torch.device | None = None,
    **strategy_options: Any,
) -> dict[str, Any]:
    """Evolutionary diffusion until the tracker stops it (or one run without a budget).

    Args:
        space: the search space.
        tracker: counts queries, keeps the best, decides when to stop.
        seed: seeds the strategy, restarts and mutations: same seed, same queries.
        preset: a key of :data:`PRESETS` or an :class:`EDNAGPreset`.
        popsize, num_steps: population size N and diffusion steps T of one run
            (default: the preset's).
        novelty: ``"parent"``, ``"mutate"`` or ``False`` (see the module docstring);
            default: the preset's.
        novelty_tries: mutation attempts per duplicate offspring (>= 1).
        diffusion: ``False`` switches the diffusion step off: after the first generation
            every offspring is replaced by the novelty move (parent tournament + one-row
            mutation, labelled ``"repair"``); default: the preset's.
        data: ``"population"`` (the paper's x0 estimate) or ``"archive"`` (over every
            queried architecture, see ``search.ednag_archive``); default: the preset's.
        hamming: with ``data="archive"``, a kernel over decoded architectures (rows that
            differ) of this scale instead of the latent Gaussian kernel.
        guide: ``True``: model-guided denoising (``search.guided``): each particle takes
            the best new of its ``candidates`` diffusion draws and repair moves under a
            ridge model of the queries so far; default: the preset's.
        candidates: proposals of each kind per particle with ``guide``.
        runs: budget-aware schedule: with ``max_queries`` each run lasts
            :func:`budget_steps` generations, about ``runs`` runs per budget; 0: T fixed;
            default: the preset's, or 0 when ``num_steps`` is given.
        start: the first generation of each run: ``"random"`` (the diffusion's noise as
            is), ``"balanced"`` (the same noise with each row's argmax following a
            balanced design, :func:`~.guided.balanced_start`) or ``"auto"`` (balanced
            where the budget-aware schedule keeps the preset's T, i.e. no budget or at
            most ``runs * N * T`` queries: 3,000 for the default; random beyond);
            default: the preset's.
        guide_features: the guide's ridge features (``search.pair_guide``):
            ``"onehot"`` (additive), ``"pairs"`` (also every pair of rows' joint choice)
            or ``"auto"`` (pairs on spaces with at most 1,000 pair features).
        device: where the population lives.
        **strategy_options: :class:`~ednag_opt.strategy.DDIMConfig` fields (sigma,
            fitness_map, ...); unknown names raise ``TypeError``.

    Returns:
        Extras: the final ``population`` and its ``population_fitness``, and ``runs``.
    """
    cfg = resolve_preset(preset, novelty, popsize, num_steps, diffusion, data, guide, candidates,
                         runs, start, **strategy_options)  # fmt: skip
    if isinstance(novelty_tries, bool) or not isinstance(novelty_tries, int) or novelty_tries < 1:
        raise ValueError(f"novelty_tries must be an integer >= 1, got {novelty_tries!r}")
    st = cfg.strategy
    steps = budget_steps(st.num_steps, st.popsize, tracker.max_queries, cfg.runs)
    strategy = st.replace(maximize=tracker.maximize, num_steps=steps)
    if cfg.data == "archive":
        return run_archive(space, tracker, strategy, seed=seed, tries=novelty_tries,
                           novelty=cfg.novelty or "denoise", hamming=hamming)  # fmt: skip
    mut_gen = torch.Generator().manual_seed(seed + 7919)
    guide = make_guide(space, guide_features)  # validated even when unused
    ridge = guide if cfg.guide else None
    balanced = cfg.start == "balanced" or (cfg.start == "auto" and steps == st.num_steps)
    design = torch.Generator().manual_seed(seed + 104729) if balanced else None

    def step(es: EvolutionaryDDIM, run: int) -> None:
        _generation(space, tracker, es, cfg, novelty_tries, mut_gen, run, ridge, design)

    es, run = restart_loop(space, tracker, strategy, seed, device, step)
    latent = None if es is None else es.population  # no bounds: the latent itself
    pop = [] if latent is None else space.decode(latent)
    fit = es.fitness.clone() if es is not None and es.fitness is not None else torch.empty(0)
    return {"population": pop, "population_fitness": fit, "runs": run}


def _generation(space, tracker, es, cfg, tries, mut_gen, run, ridge=None, design=None) -> None:
    x = es.ask()
    start = design is not None and es.generation == 0
    if start:  # the first generation as a balanced design (search.guided.balanced_start)
        x = balanced_start(x, space.mask, design)
    archs = space.decode(x)
    changed: set[int] = set()
    guided: set[int] = set()
    novelty = cfg.novelty
    if ridge is not None and es.generation > 0:  # model-guided proposals (search.guided)
        def parents(xs, pos):  # xs is the asked x: its architectures are already decoded
            return _from_parents(space, xs, archs, es, tracker, mut_gen, pos)[0]

        x, archs, labels = guided_offspring(space, tracker, es, x, ridge, mut_gen,
                                            cfg.candidates, cfg.diffusion, parents)  # fmt: skip
        changed = {i for i, o in enumerate(labels) if o == "repair"}
        x, archs, more = _make_novel(space, x, archs, tracker, space.mask, mut_gen, tries)
        changed |= more
    elif novelty and es.generation > 0:
        if not cfg.diffusion:  # ablation: every offspring is a mutated tournament parent
            everyone = list(range(len(archs)))
            x, archs, changed = _from_parents(space, x, archs, es, tracker, mut_gen, everyone)
            x = mutate_rows(x, space.mask, mut_gen)
            archs = space.decode(x)
        elif novelty == "parent":
            x, archs, changed = _from_parents(space, x, archs, es, tracker, mut_gen)
        elif novelty == "denoise":  # flip the rows the denoising is closest to flipping
            x, archs, guided = _denoise_novel(space, x, archs, tracker, tries)
        elif novelty == "toward":  # parent moved one row towards the diffusion's sample
            x, archs, guided = _toward(space, x, archs, es, tracker, mut_gen)
        x, archs, more = _make_novel(space, x, archs, tracker, space.mask, mut_gen, tries)
        changed |= more
    origin = ["repair" if i in changed else "guided" if i in guided else "diffusion"
              for i in range(len(archs))]  # fmt: skip
    keys = [tracker.key(a) for a in archs]
    info = {"run": run, "generation": es.generation + 1, "distinct": len(set(keys)) / len(keys)}
    f = tracker.query(archs, origin=origin, info=info)
    if tracker.stop_reason == "budget" and bool(torch.isnan(f).any()):
        return  # the budget cut this batch: its tail was never evaluated, nothing to tell
    es.tell(f, keys=keys, solutions=x if novelty or start else None)


def _duplicates(archs, tracker) -> list[int]:
    """Positions of architectures already queried or repeated earlier in the batch."""
    seen: set[str] = set()
    dup = []
    for i, a in enumerate(archs):
        k = tracker.key(a)
        if tracker.seen(a) or k in seen:
            dup.append(i)
        seen.add(k)
    return dup


def _from_parents(space, x, archs, es, tracker, generator, dup=None, size=5):
    """Replace duplicate offspring (or those at ``dup``) by tournament-selected parents
    (to be mutated next)."""
    dup = _duplicates(archs, tracker) if dup is None else dup
    if not dup:
        return x, archs, set()
    fit = es.fitness
    score = torch.nan_to_num(fit if es.maximize else -fit, nan=-torch.inf).cpu()
    return tournament_replace(space, x, archs, dup, es.population, score, generator, size)


def tournament_replace(space, x, archs, dup, pop, score, generator, size=5):
    """Offspring at ``dup`` become copies of parents of ``pop`` picked by tournaments of
    ``size`` on ``score`` (higher is better); returns latents, architectures, positions."""
    x, archs = x.clone(), list(archs)
    cand = torch.randint(pop.shape[0], (len(dup), size), generator=generator)
    winners = cand[torch.arange(len(dup)), score[cand].argmax(dim=1)]
    idx = torch.tensor(dup, device=x.device)
    x[idx] = pop[winners.to(pop.device)].to(x.dtype)
    for i, a in zip(dup, space.decode(x[idx])):
        archs[i] = a
    return x, archs, set(dup)


def _toward(space, x, archs, es, tracker, generator):
    """Every offspring: a tournament parent with one row set to the diffusion sample's
    choice (a row where they differ, drawn uniformly); unchanged if they agree."""
    n = len(archs)
    xp, _, _ = _from_parents(space, x, archs, es, tracker, generator, list(range(n)))
    mask = space.mask.to(x.device)
    rp = xp.masked_fill(~mask, -torch.inf).argmax(dim=2).cpu()
    rx = x.masked_fill(~mask, -torch.inf).argmax(dim=2).cpu()
    guided = set()
    for i in range(n):
        diff = (rp[i] != rx[i]).nonzero().flatten()
        if diff.numel():
            r = int(diff[torch.randint(diff.numel(), (1,), generator=generator)])
            xp[i, r, int(rx[i, r])] = xp[i, r].max() + 0.1
            guided.add(i)
    return xp, space.decode(xp), guided


def restart_loop(space, tracker, strategy, seed, device, step):
    """Diffusion runs until the tracker stops: a fresh strategy per run (seeded from
    ``seed``), ``step(es, run)`` per generation. Without a budget one run is made; a run
    that adds no new query ends the search. Returns the last strategy and the run count."""
    seeds = torch.Generator().manual_seed(seed)
    run, es = 0, None
    while not tracker.done:
        run_seed = seed if run == 0 else int(torch.randint(2**31 - 1, (1,), generator=seeds))
        es = EvolutionaryDDIM(space.shape, config=strategy, seed=run_seed, device=device)
        before = tracker.unique_queries
        while not es.done and not tracker.done:
            step(es, run)
        run += 1
        if tracker.max_queries is None:
            tracker.stop("steps")
        elif tracker.unique_queries == before:
            tracker.stop("stalled")  # a whole run found nothing new: more runs will not
    return es, run


def _until_novel(space, x, archs, tracker, tries, move):
    """Apply ``move(rows, attempt)`` to the offspring that repeat a query (or each other),
    at most ``tries`` times; returns the new latents, architectures and changed positions."""
    x, archs, changed = x.clone(), list(archs), set()
    for k in range(tries):
        dup = _duplicates(archs, tracker)
        if not dup:
            break
        changed.update(dup)
        idx = torch.tensor(dup, device=x.device)
        x[idx] = move(x[idx], k)
        for i, a in zip(dup, space.decode(x[idx])):
            archs[i] = a
    return x, archs, changed


def _denoise_novel(space, x, archs, tracker, tries):
    """Flip duplicates' rows in order of their top-2 margin (smallest first)."""
    mask = space.mask.to(x.device)
    return _until_novel(space, x, archs, tracker, tries, lambda r, k: denoise_flip(r, mask, k))


def _make_novel(space, x, archs, tracker, mask, generator, tries):
    """Mutate offspring whose architecture was already queried or repeats in the batch."""
    return _until_novel(space, x, archs, tracker, tries,
                        lambda rows, _: mutate_rows(rows, mask, generator))  # fmt: skip
