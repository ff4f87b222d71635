"""Optuna's Tree-structured Parzen Estimator as a NAS searcher (optional extra ``tpe``).

Each row of the space's encoding (one edge / op / module) is a categorical parameter
``r<j>`` with choices ``0 .. choice_counts[j] - 1``; a trial's row choices are decoded into
an architecture (spaces with coupled rows repair them) and queried through the tracker.
The sampler is :class:`optuna.samplers.TPESampler` (multivariate by default, seeded), used
through Optuna's ask-and-tell interface, so every query counts against the same budget as
any other searcher. A trial that decodes to an architecture already queried costs nothing:
it is told the known value. Non-finite values are reported to Optuna as failed trials.

Install with ``pip install ednag-opt[tpe]`` (``optuna>=3.5``).
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import torch

from ..spaces import SearchSpace
from .tracker import Tracker

__all__ = ["run_tpe"]


def run_tpe(
    space: SearchSpace,
    tracker: Tracker,
    *,
    seed: int = 0,
    multivariate: bool = True,
    n_startup_trials: int = 10,
    max_repeats: int = 1000,
) -> dict[str, Any]:
    """TPE (Bergstra et al. 2011; Optuna) until the tracker stops it.

    Args:
        space: the search space.
        tracker: budget, best and history (its direction is respected).
        seed: seed of the sampler: same seed, same queries.
        multivariate: model the rows jointly (Falkner et al. 2018) instead of one by one.
        n_startup_trials: random trials before the Parzen estimators are used.
        max_repeats: consecutive trials that repeat known architectures before the search
            stops (``"stalled"``): TPE can converge on a queried region.

    Returns:
        Extras: ``trials`` (Optuna trials, repeats included).

    Raises:
        ImportError: when Optuna is not installed.
        ValueError: on a bad ``n_startup_trials`` or ``max_repeats``.
    """
    optuna = _optuna()
    for name, v in (("n_startup_trials", n_startup_trials), ("max_repeats", max_repeats)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise ValueError(f"{name} must be an integer >= 1, got {v!r}")
    with warnings.catch_warnings():  # multivariate TPE is "experimental" in Optuna 3
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        sampler = optuna.samplers.TPESampler(
            seed=seed, multivariate=bool(multivariate), n_startup_trials=n_startup_trials
        )
    direction = "maximize" if tracker.maximize else "minimize"
    study = optuna.create_study(direction=direction, sampler=sampler)
    dists = {
        f"r{j}": optuna.distributions.CategoricalDistribution(list(range(c)))
        for j, c in enumerate(space.choice_counts)
    }
    d1, d2 = space.shape
    trials = repeats = 0
    while not tracker.done:
        trial = study.ask(dists)
        trials += 1
        x = torch.zeros(1, d1, d2)
        for j in range(d1):
            x[0, j, trial.params[f"r{j}"]] = 1.0
        arch = space.decode(x)[0]
        known = tracker.seen(arch)
        v = float(tracker.query([arch], origin="tpe", info={"trial": trials})[0])
        repeats = repeats + 1 if known else 0
        if math.isfinite(v):
            study.tell(trial, v)
        else:
            study.tell(trial, state=optuna.trial.TrialState.FAIL)
        if repeats >= max_repeats:
            tracker.stop("stalled")
    return {"trials": trials}


def _optuna() -> Any:
    try:
        import optuna
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise ImportError(
            "the 'tpe' searcher needs Optuna: pip install 'ednag-opt[tpe]' (optuna>=3.5)"
        ) from exc
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    return optuna
