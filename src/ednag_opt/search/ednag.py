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
from typing import Any

import torch

from ..spaces import SearchSpace
from ..strategy import EvolutionaryDDIM
from ..strategy.mutation import mutate_rows
from .ednag_archive import denoise_flip, run_archive
from .guided import balanced_start, guided_offspring
from .pair_guide import make_guide
from .presets import PRESETS, EDNAGPreset, resolve_preset
from .tracker import Tracker

__all__ = ["PRESETS", "EDNAGPreset", "budget_steps", "resolve_preset", "run_ednag"]

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
    guide_features: str | None = None,
    renoise: int | str | None = None,
    estimate: str | None = None,
    warm_restarts: bool | str | None = None,
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
            or ``"auto"`` (pairs on spaces with at most 1,000 pair features); default:
            the preset's.
        renoise: with ``guide`` and the diffusion on, each particle also chooses among
            this many draws of the forward process from its denoised estimate at random
            noise levels (:func:`~.guided.renoised_draws`, label ``"renoise"``); ``"auto"``:
            ``candidates`` of them where ``start="auto"`` would balance (the budgets up to
            ``runs * N * T``), none beyond; default: the preset's. A positive count
            without a guided diffusion step (``guide=False``, ``diffusion=False``)
            raises ``ValueError``.
        estimate: the x0 estimate the guided draws (DDIM and renoised) start from:
            ``"latent"`` (the kernel and the average over the population's latents, as
            the strategy's own step) or ``"decoded"`` (over its decoded architectures,
            re-encoded one-hot: :func:`~.guided.denoised_estimate` with the space);
            without a guided diffusion step it has no effect; default: the preset's.
        warm_restarts: ``True``: each run after the first starts from the best ``N // 2``
            architectures queried so far (one-hot encoded, in place of the first noise
            members; they are known, so they cost no query), as the multi-objective
            searcher's restarts start from the front; ``False``: every run starts from
            noise. Only searches longer than one run (``N * T`` queries) differ, and a
            tracker that already holds queries (a later stage of a search, e.g.
            ``constraints="staged"``), where the first run starts from them too.
            ``"renoised"``: each later run starts from one forward-process draw of each of
            the best N architectures at a random noise level per particle (see
            :func:`_restart_latents`); ``"auto"``: so where the budget-aware schedule
            lengthens the runs (budgets above 3,000 with N = 10), cold restarts below.
            Default: the preset's.
        device: where the population lives.
        **strategy_options: :class:`~ednag_opt.strategy.DDIMConfig` fields (sigma,
            fitness_map, ...); unknown names raise ``TypeError``.

    Returns:
        Extras: the final ``population`` and its ``population_fitness``, and ``runs``.
    """
    cfg = resolve_preset(preset, novelty, popsize, num_steps, diffusion, data, guide, candidates,
                         runs, start, guide_features, renoise, estimate,
                         warm_restarts=warm_restarts, **strategy_options)  # fmt: skip
    if isinstance(novelty_tries, bool) or not isinstance(novelty_tries, int) or novelty_tries < 1:
        raise ValueError(f"novelty_tries must be an integer >= 1, got {novelty_tries!r}")
    st = cfg.strategy
    steps = budget_steps(st.num_steps, st.popsize, tracker.max_queries, cfg.runs)
    strategy = st.replace(maximize=tracker.maximize, num_steps=steps)
    if cfg.data == "archive":
        return run_archive(space, tracker, strategy, seed=seed, tries=novelty_tries,
                           novelty=cfg.novelty or "denoise", hamming=hamming)  # fmt: skip
    mut_gen = torch.Generator().manual_seed(seed + 7919)
    ridge = make_guide(space, cfg.features) if cfg.guide else None
    small = steps == st.num_steps  # the budget-aware schedule keeps T: a small budget
    balanced = cfg.start == "balanced" or (cfg.start == "auto" and small)
    design = torch.Generator().manual_seed(seed + 104729) if balanced else None
    extra = (cfg.candidates if small else 0) if cfg.renoise == "auto" else cfg.renoise

    resumed = tracker.unique_queries > 0  # a later stage of a search: its first run is warm
    w = cfg.warm_restarts
    kick = w == "renoised" or (w == "auto" and not small)  # restarts from renoised elites
    warm_runs = w is True or kick

    def step(es: EvolutionaryDDIM, run: int) -> None:
        warm = warm_runs and (run > 0 or resumed) and es.generation == 0
        inject = _restart_latents(space, tracker, es.popsize, kick, mut_gen) if warm else None
        _generation(space, tracker, es, cfg, novelty_tries, mut_gen, run, ridge, design, extra,
                    inject)  # fmt: skip

    es, run = restart_loop(space, tracker, strategy, seed, device, step)
    latent = None if es is None else es.population  # no bounds: the latent itself
    pop = [] if latent is None else space.decode(latent)
    fit = es.fitness.clone() if es is not None and es.fitness is not None else torch.empty(0)
    return {"population": pop, "population_fitness": fit, "runs": run}


def _elites(tracker: Tracker, k: int) -> list[Any]:
    """The ``k`` best architectures queried so far (finite values, search direction)."""
    done = [(a, float(v)) for a, v in tracker.queries if math.isfinite(float(v))]
    done.sort(key=lambda q: q[1], reverse=tracker.maximize)
    return [a for a, _ in done[:k]]


def _restart_latents(space, tracker, n, kick, generator) -> torch.Tensor | None:
    """Where a warm restart starts: the best ``n // 2`` architectures queried so far,
    one-hot encoded; with ``kick``, one forward-process draw from each of the best ``n``,
    ``sqrt(a) * onehot + sqrt(1 - a) * z`` at a level ``a ~ U(0, 1)`` per particle (from a
    near-copy to near-fresh noise: a jump to a nearby basin). ``None``: nothing queried."""
    elites = _elites(tracker, n if kick else n // 2)
    if not elites:
        return None
    x0 = space.encode(elites)
    if not kick:
        return x0
    z = torch.randn(x0.shape, generator=generator, dtype=x0.dtype)
    a = torch.rand((len(elites),) + (1,) * (x0.dim() - 1), generator=generator, dtype=x0.dtype)
    return a.sqrt() * x0 + (1 - a).sqrt() * z


def _generation(space, tracker, es, cfg, tries, mut_gen, run, ridge=None, design=None,
                renoise=0, inject=None) -> None:  # fmt: skip
    x = es.ask()
    start = design is not None and es.generation == 0
    if start:  # the first generation as a balanced design (search.guided.balanced_start)
        x = balanced_start(x, space.mask, design)
    if inject is not None:  # a warm restart: its latents replace the first noise members
        x = x.clone()
        x[: len(inject)] = inject.to(device=x.device, dtype=x.dtype)
        start = True  # the told solutions are these latents
    archs = space.decode(x)
    changed: set[int] = set()
    guided: set[int] = set()
    origin: list[str] | None = None  # the guided proposals label their own origins
    novelty = cfg.novelty
    if ridge is not None and es.generation > 0:  # model-guided proposals (search.guided)
        def parents(xs, pos):  # xs is the asked x: its architectures are already decoded
            return _from_parents(space, xs, archs, es, tracker, mut_gen, pos)[0]

        x, archs, origin = guided_offspring(space, tracker, es, x, ridge, mut_gen, cfg.candidates,
                                            cfg.diffusion, parents, renoise,
                                            cfg.estimate == "decoded")  # fmt: skip
        x, archs, more = _make_novel(space, x, archs, tracker, space.mask, mut_gen, tries)
        origin = ["repair" if i in more else o for i, o in enumerate(origin)]
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
    if origin is None:
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
