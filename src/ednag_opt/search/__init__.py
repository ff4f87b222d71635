"""Every way of searching a space, behind one interface.

>>> from ednag_opt.search import SEARCHERS, search
>>> sorted(SEARCHERS)[:2]
['ednag', 'random']

``search(name, space, fitness, max_queries=..., seed=...)`` runs any searcher of
:data:`SEARCHERS` and returns a :class:`SearchResult`; :func:`generate` is
``search("ednag", ...)``.
"""

from __future__ import annotations

from typing import Any

from .api import SEARCHERS, Searcher, register_searcher, search
from .baselines import mutate_one
from .ednag import PRESETS, EDNAGPreset
from .result import SearchResult
from .tracker import Tracker

__all__ = [
    "PRESETS",
    "SEARCHERS",
    "EDNAGPreset",
    "SearchResult",
    "Searcher",
    "Tracker",
    "generate",
    "mutate_one",
    "register_searcher",
    "search",
]


def generate(space: Any, fitness: Any, **kwargs: Any) -> SearchResult:
    """Generate architectures with evolutionary diffusion: ``search("ednag", ...)``.

    Takes every argument of :func:`search` and the ``"ednag"`` searcher's options
    (``preset``, ``popsize``, ``num_steps``, ``novelty``, strategy hyperparameters).
    """
    return search("ednag", space, fitness, **kwargs)
