"""The ``"ednag-mo"`` searcher: EDNAG over several objectives (``search.multiobjective``).

``search("ednag", space, [fa, fb])`` runs it. The loop is the ``"ednag"`` searcher's
(restarts, novelty moves for repeated samples) with ``EvolutionaryDDIM(objectives=M)``,
whose x0 density and survivors follow non-dominated rank and crowding. A restarted run is
seeded with the front found so far, and from then on (``recombine="restarts"``) a repeated
sample's tournament parent takes each of the sample's rows with probability 1/2 before its
one-row mutation.

With ``guide=True`` (``search.guided_mo``) every particle after a run's first generation
instead takes the best new of ``candidates`` diffusion draws and as many repair moves
(Pareto-tournament parents, crossed with its sample when ``recombine`` applies, mutated in
one row) under one ridge model per objective: the candidate predicted to lie furthest
beyond the front found so far. ``preset="unguided"`` (or ``guide=False``) is the searcher
without models, as it was before the guided proposals; ``diffusion=False`` with the guide
(``preset="repair-only"``) keeps only the repair candidates (the diffusion-off ablation).

With a cost that is a lookup (``cheap=``) and ``twins=``, the budget has three phases: the
diffusion (one query per network, each as its cheapest twin), the sweep over the whole
space's unqueried networks (``sweep=``, ``search.sweep``) and the twin phase
(``search.twins``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from contextlib import nullcontext
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from ..spaces import SearchSpace
from ..strategy import EvolutionaryDDIM
from ..strategy.pareto import pareto_mask, pareto_scores, pareto_select
from .ednag import (
    _duplicates,
    _make_novel,
    budget_steps,
    resolve_preset,
    restart_loop,
    tournament_replace,
)
from .guided import guided_offspring
from .guided_mo import ParetoGuide, resolve_cheap
from .pair_guide import guide_features as resolve_features
from .pair_guide import make_guide
from .sweep import SWEEP_STOP, Sweep, check_sweep, phase_budgets, sweep_phase, within_limit
from .tracker import Tracker
from .twins import TwinIndex, check_twins, twin_batch

if TYPE_CHECKING:
    from .multiobjective import MultiFitness

__all__ = ["run_ednag_mo"]


def run_ednag_mo(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    preset: str = "default",
    popsize: int | None = 20,
    num_steps: int | None = None,
    novelty: str | bool | None = None,
    novelty_tries: int = 10,
    warm_restarts: bool = True,
    recombine: bool | str = "restarts",
    guide: bool | None = None,
    guide_features: str = "auto",
    candidates: int | None = None,
    diffusion: bool | None = None,
    runs: int | None = None,
    twins: float | str = 0.0,
    cheap: Sequence[str | int] = (),
    sweep: float | str | None = None,
    sweep_model: str = "gp",
    sweep_stop: float = SWEEP_STOP,
    device: str | torch.device | None = None,
    **strategy_options: Any,
) -> dict[str, Any]:
    """EDNAG on several objectives: the strategy ranks by Pareto dominance.

    Same loop as the ``"ednag"`` searcher (restarts until the budget is spent, novelty
    moves for repeated architectures), with ``objectives=M``: the x0 density and the
    survivors come from non-dominated rank and crowding over the (N, M) values, and the
    limits of the :class:`MultiFitness` are passed to the strategy as violations.

    Args:
        space: the search space.
        tracker: counts queries; its fitness must be a :class:`MultiFitness` (what
            ``search`` builds from a list of sources).
        seed: seeds everything.
        preset, popsize, num_steps, novelty, novelty_tries, runs, device,
            **strategy_options: as for the ``"ednag"`` searcher (``popsize`` defaults to
            20 here), including the preset's budget-aware schedule (``runs``, see
            ``search.ednag.budget_steps``: with N = 20, T = 30 up to 6,000 queries and
            T = 50 at 10,000; ``preset="fixed-steps"`` keeps T = 30).
        warm_restarts: a restarted diffusion starts from the front found so far: up to
            ``popsize // 2`` of its architectures (spread by crowding; cached, so free)
            replace noise members of the first population.
        recombine: with ``novelty="parent"``, the tournament parent that replaces a
            repeated diffusion sample takes each of the sample's rows with probability
            1/2 (uniform crossover with the diffusion's proposal) before the one-row
            mutation. ``"restarts"`` (default): in the warm-restarted runs only (from
            the second run on, ~600 queries with the defaults); ``True``: in every run;
            ``False``: the parent alone (the default before #16's tuning).
        guide: model-guided proposals (module docstring); default: the preset's.
        guide_features: the guide's ridge features (``search.pair_guide.guide_features``):
            ``"auto"`` (default since session 8) uses every pair of rows' joint choice on
            small spaces (NAS-Bench-201, TransNAS) and the one-hot encoding elsewhere;
            ``"onehot"`` is the additive guide of session 7; ``"pairs"`` forces pairs.
        candidates: with ``guide``, proposals of each kind per particle; default: the
            preset's (16).
        diffusion: ``False`` (with ``guide`` only): repair candidates alone after a
            run's first generation; default: the preset's.
        twins: share of ``max_queries`` held back for the twin phase (``search.twins``):
            the last queries go to unqueried cells of the networks found non-dominated,
            predicted cheapest first (where costs come in levels: cells of any queried
            network, likeliest to join the front first), in batches of ten (origin
            ``"twin"``). Needs a
            small space with ``canonicalize`` and a minimised objective; 0 (default): off.
            ``"auto"`` (with ``cheap``): the share is chosen from the cheap cost's table,
            0.2 where its values come in levels and 0.5 otherwise
            (``search.twins.auto_share``; docs/results_multiobjective.md, "Session 24").
        cheap: objectives (names or indices) whose values are a lookup, such as a
            latency table or a parameter count: the guide reads them for every
            candidate instead of predicting them (``search.guided_mo.LookupGuide``), and
            they do not make a query cost more (a query is still one architecture, and
            every objective of a queried architecture is recorded). With ``twins`` and
            two objectives (a maximised one and a cheap minimised cost), the queries
            before the twin phase are one per network, each network queried as its
            cheapest twin by the cheap cost (since session 24; before, as its canonical
            form, like ``distinct="networks"``), and the twin phase ranks the twins of
            every queried network by their chance of beating the front at their exact
            cost (``search.twins``; ``twins=0.5`` was tuned for this,
            docs/results_multiobjective.md, "Session 22" and "Session 24").
        sweep: with ``cheap`` and ``twins``, the share of ``max_queries`` spent between
            the diffusion and the twin phase on the unqueried networks of the whole space
            that a model predicts likeliest to beat the found front at their exact
            cost (``search.sweep``, origin ``"sweep"``). ``"auto"``: 0.2
            (``search.sweep.AUTO_SWEEP``);
            ``None`` (default): ``"auto"`` with ``twins="auto"``, else 0
            (docs/results_multiobjective.md, "Session 25").
        sweep_model: the sweep's model: ``"gp"`` (default), a Gaussian process ranking
            by expected improvement, its inputs the guide's features and the cheap cost
            (since session 29); ``"gp-arch"``, the same on the guide's features alone
            (sessions 26-28); or ``"ridge"`` (session 25), a ridge model ranking by
            predicted margin (docs/results_multiobjective.md, "Session 26", "Session 29").
        sweep_stop: with a Gaussian process, the sweep ends early, its unspent share
            going to the twin phase, once its next batch of 20 networks is expected to
            bring fewer than this many that beat the found front (the sum of their
            chances under the model; ``search.sweep.SWEEP_STOP``, 0.5); 0: never.

    Returns:
        Extras: the final ``population`` and ``runs``.

    Raises:
        ValueError: the tracker's fitness is neither a :class:`MultiFitness` nor a
            constrained source (``constraint_parts()``).
        TypeError: ``recombine`` or ``warm_restarts`` is not one of its values.
        ValueError: ``diffusion=False`` without ``guide``, or an unknown
            ``guide_features``; ``twins`` outside [0, 1) or not applicable
            (``search.twins.check_twins``), or ``"auto"`` without ``cheap``; a bad ``cheap``
            (``search.guided_mo.resolve_cheap``); a bad ``sweep``
            (``search.sweep.check_sweep``), ``sweep_model`` or ``sweep_stop``, or twin and
            sweep shares that leave no queries to the diffusion.
    """
    multi = _objectives(tracker)
    twins = check_twins(twins, space, tracker.max_queries, tracker.canonical is not None,
                        multi.directions)  # fmt: skip
    cheap_idx = resolve_cheap(cheap, multi.names, multi.directions, bool(twins))
    if twins == "auto" and not cheap_idx:
        raise ValueError("twins='auto' picks the share from the cheap cost's table: "
                         "give cheap=[the cost]")  # fmt: skip
    sweep = check_sweep(sweep, twins, cheap_idx, sweep_model, sweep_stop)
    unsupported = sorted(set(strategy_options) & {"data", "renoise", "estimate"})
    if unsupported:
        raise TypeError(f"the multi-objective EDNAG searcher has no option(s) {unsupported} "
                        "(they belong to the single-objective 'ednag' searcher)")  # fmt: skip
    if not isinstance(warm_restarts, bool):
        raise TypeError(f"warm_restarts must be True or False, got {warm_restarts!r}")
    if not isinstance(recombine, bool) and recombine != "restarts":
        raise TypeError(f"recombine must be True, False or 'restarts', got {recombine!r}")
    cfg = resolve_preset(preset, novelty, popsize, num_steps, diffusion, None, guide, candidates,
                         runs, **strategy_options)  # fmt: skip
    if not cfg.diffusion and not cfg.guide:
        raise ValueError("diffusion=False needs guide=True in the multi-objective searcher")
    if isinstance(novelty_tries, bool) or not isinstance(novelty_tries, int) or novelty_tries < 1:
        raise ValueError(f"novelty_tries must be an integer >= 1, got {novelty_tries!r}")
    st = cfg.strategy
    steps = budget_steps(st.num_steps, st.popsize, tracker.max_queries, cfg.runs)
    strategy = st.replace(maximize=True, objectives=multi.num_objectives, num_steps=steps)
    mut_gen = torch.Generator().manual_seed(seed + 7919)
    warm: list[Any] = []
    features = resolve_features(space, guide_features)  # validated even without the guide
    pareto_guide = ParetoGuide(space, multi, features=features, cheap=cheap_idx) \
        if cfg.guide else None  # fmt: skip

    def step(es: EvolutionaryDDIM, run: int) -> None:
        if es.generation == 0:  # a run starts: seed it with the front found so far
            warm[:] = _front_archs(tracker, multi, es.popsize // 2) if run and warm_restarts else []
        cross = recombine is True or (recombine == "restarts" and run > 0)
        moves = (cfg.novelty, novelty_tries, cross)
        if pareto_guide is not None and es.generation > 0:
            _guided_generation(space, tracker, es, multi, cfg, moves, mut_gen, run, pareto_guide)
            return
        _generation(space, tracker, es, multi, moves, mut_gen, run,
                    warm if es.generation == 0 else [])  # fmt: skip

    index = TwinIndex(space, tracker.cache.key) if twins else None
    costs = multi.caches[cheap_idx[0]](index.archs).numpy() if twins and cheap_idx else None
    held, swept = phase_budgets(twins, sweep, costs, tracker.max_queries)
    exact = cheap_idx[0] if held and cheap_idx else None
    swept = swept if exact is not None else 0
    one = _cheapest_twin(index, costs, tracker.cache.key) if exact is not None else None
    with (tracker.holding_back(held + swept) if held else nullcontext(),
          tracker.networks_only(one) if one else nullcontext()):  # fmt: skip
        es, run = restart_loop(space, tracker, strategy, seed, device, step)
    if swept and not tracker.done:
        with tracker.holding_back(held), tracker.networks_only(one):
            sweeper = Sweep(index, within_limit(multi, exact, costs),
                            make_guide(space, features).features, sweep_model)  # fmt: skip
            sweep_phase(tracker, multi, sweeper, gain=1 - exact, stop=sweep_stop)
    if held and not tracker.done:
        _twin_phase(tracker, multi, index, costs)
        if not tracker.done:  # fewer twins than held back: the diffusion spends the rest
            es, more = restart_loop(space, tracker, strategy, seed + run, device, step)
            run += more
    latent = None if es is None else es.population
    return {"population": [] if latent is None else space.decode(latent), "runs": run}


def _twin_phase(tracker: Tracker, multi: MultiFitness, index: TwinIndex,
                costs: np.ndarray | None = None, batch: int = 10) -> None:  # fmt: skip
    """Spend the rest of the budget on twins of the non-dominated networks (``search.twins``;
    ``costs``: the cheap cost of every architecture of ``index``, read exactly)."""
    while not tracker.done:
        archs = [a for a, _ in tracker.queries]
        values = multi.values(archs)  # cached: evaluates nothing
        cv = multi.violation(values)
        if cv is not None:
            values[cv > 0] = math.nan  # infeasible: not on the front
        keys = [tracker.key(a) for a in archs]
        k = int(min(batch, tracker.remaining))
        nxt = twin_batch(index, keys, values.numpy(), multi.directions, k, costs)
        if not nxt:
            return
        tracker.query(nxt, origin="twin", info={"phase": "twins"})


def _cheapest_twin(index: TwinIndex, costs: np.ndarray, key: Any) -> Any:
    """The tracker's one-query-per-network map with a cost known for every cell: a network
    is queried as its cheapest twin. Twins share their expected accuracy, so that twin
    dominates the others in expectation; the canonical (pruned) form need not be the
    cheapest, as measured costs carry noise and signal-free operations still run."""
    best = index.cheapest_twins(costs)
    return lambda arch: index.archs[best[index.position[key(arch)]]]


def _objectives(tracker: Tracker) -> MultiFitness:
    """The objectives of the search: the tracker's :class:`MultiFitness`, or, for a
    penalised constrained source (one with ``constraint_parts()``, e.g.
    ``LatencyConstrained``), its objective and cost as two objectives with the cost's
    bound as a limit (``search``'s constraint mode), through the source's own caches."""
    from .multiobjective import MultiFitness  # at run time: that module imports this one

    source = getattr(tracker.cache, "source", None)
    if isinstance(source, MultiFitness):
        return source
    parts = getattr(source, "constraint_parts", None)
    if parts is None:
        raise ValueError("ednag-mo needs several objectives: pass a list of fitness sources")
    objective, cost, bound = parts()
    return MultiFitness([objective, cost], limits=[None, bound])


def _front_archs(tracker: Tracker, multi: MultiFitness, k: int) -> list[Any]:
    """Up to ``k`` feasible non-dominated architectures queried so far, spread by crowding."""
    archs = [a for a, _ in tracker.queries]
    if not archs or k < 1:
        return []
    values = multi.values(archs)
    S = multi.scores(values)
    cv = multi.violation(values)
    if cv is not None:
        S[cv > 0] = math.nan
    idx = np.flatnonzero(pareto_mask(S.numpy()))
    if len(idx) > k:
        idx = idx[pareto_select(S[idx], k).numpy()]
    return [archs[i] for i in idx]


def _generation(space, tracker, es, multi, moves, mut_gen, run, inject=()) -> None:
    novelty, tries, recombine = moves
    x = es.ask()
    if inject:  # a warm restart: the front so far replaces the first noise members
        x = x.clone()
        x[: len(inject)] = space.encode(inject).to(device=x.device, dtype=x.dtype)
    archs = space.decode(x)
    changed: set[int] = set()
    if novelty and es.generation > 0:
        if novelty == "parent":
            sample = x
            x, archs, changed = _from_parents(space, x, archs, es, tracker, mut_gen)
            if recombine and changed:  # the parent takes half the sample's rows
                x, archs = _cross(space, x, sample, sorted(changed), mut_gen)
        x, archs, more = _make_novel(space, x, archs, tracker, space.mask, mut_gen, tries)
        changed |= more
    _query_tell(tracker, es, multi, x, archs, changed, run, bool(novelty or inject))


def _guided_generation(space, tracker, es, multi, cfg, moves, mut_gen, run, guide) -> None:
    """A generation with model-guided proposals (``search.guided_mo``): each particle takes
    the best new of its diffusion draws and repair moves (Pareto-tournament parents, crossed
    with the particle's sample when ``recombine`` applies, mutated in one row) under the
    guide's predicted Pareto value; what stays repeated is mutated."""
    _, tries, recombine = moves
    x = es.ask()
    archs = space.decode(x)

    score = _parent_scores(es)  # one Pareto ranking for all the tournaments

    def parents(xs, pos):  # xs is the asked x: its architectures are already decoded
        xp = tournament_replace(space, xs, archs, pos, es.state.latent, score, mut_gen)[0]
        return _cross_rows(xp, xs, pos, mut_gen) if recombine else xp

    x, archs, labels = guided_offspring(space, tracker, es, x, guide, mut_gen,
                                        cfg.candidates, cfg.diffusion, parents)  # fmt: skip
    changed = {i for i, o in enumerate(labels) if o == "repair"}
    x, archs, more = _make_novel(space, x, archs, tracker, space.mask, mut_gen, tries)
    _query_tell(tracker, es, multi, x, archs, changed | more, run, True)


def _query_tell(tracker, es, multi, x, archs, changed, run, solutions) -> None:
    """Query the batch (labelled by origin) and tell the strategy its (N, M) scores."""
    origin = ["repair" if i in changed else "diffusion" for i in range(len(archs))]
    keys = [tracker.key(a) for a in archs]
    info = {"run": run, "generation": es.generation + 1, "distinct": len(set(keys)) / len(keys)}
    f = tracker.query(archs, origin=origin, info=info)
    if tracker.stop_reason == "budget" and bool(torch.isnan(f).any()):
        return  # the budget cut this batch: its tail was never evaluated
    if tracker.canonical is not None:  # one query per network: its canonical form's values
        archs = [tracker.canonical(a) for a in archs]
    values = multi.values(archs)
    es.tell(multi.scores(values), keys=keys, violation=multi.violation(values),
            solutions=x if solutions else None)  # fmt: skip


def _cross(space, x, sample, at, generator):
    """Uniform crossover by row: each row of ``x[i]`` (``i`` in ``at``) is replaced by the
    same row of ``sample[i]`` with probability 1/2; returns latents and architectures."""
    x = _cross_rows(x, sample, at, generator)
    return x, space.decode(x)


def _cross_rows(x, sample, at, generator):
    """The latents of :func:`_cross` (no decoding)."""
    x = x.clone()
    idx = torch.tensor(at, device=x.device)
    take = (torch.rand((len(at), x.shape[1]), generator=generator) < 0.5).to(x.device)
    rows = x[idx]
    rows[take] = sample[idx][take].to(x.dtype)
    x[idx] = rows
    return x


def _from_parents(space, x, archs, es, tracker, generator, dup=None, size=5):
    """Replace repeated offspring (or those at ``dup``) by parents won in a Pareto
    tournament (mutated next)."""
    dup = _duplicates(archs, tracker) if dup is None else dup
    if not dup:
        return x, archs, set()
    score = _parent_scores(es)
    return tournament_replace(space, x, archs, dup, es.state.latent, score, generator, size)


def _parent_scores(es):
    """Tournament scores of the population: Pareto rank + crowding; feasible parents
    first, then the least violating."""
    score = pareto_scores(es.state.fitness).cpu()
    cv = es.state.violation
    if cv is not None:
        score = torch.where(cv.cpu() > 0, -1e6 * (1.0 + cv.cpu()), score)
    return score
