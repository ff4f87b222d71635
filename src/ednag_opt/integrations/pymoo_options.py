"""Keyword checks of the pymoo adapter: pymoo's ``Algorithm`` silently ignores a keyword
it does not know, so ``EDNAG(popsize=...)`` would run with the default population."""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Iterable
from typing import Any

from pymoo.core.algorithm import Algorithm

__all__ = ["ALGORITHM_OPTIONS", "check_algorithm_options"]

#: Keyword arguments of pymoo's ``Algorithm`` (what ``EDNAG(**kwargs)`` accepts besides
#: its own arguments).
ALGORITHM_OPTIONS = frozenset(
    name for name, p in inspect.signature(Algorithm.__init__).parameters.items()
    if name != "self" and p.kind is not inspect.Parameter.VAR_KEYWORD
)  # fmt: skip


def check_algorithm_options(kwargs: dict[str, Any], own: Iterable[str]) -> None:
    """Raise a TypeError naming each keyword that pymoo's ``Algorithm`` does not take.

    Args:
        kwargs: the keywords left for ``Algorithm``.
        own: the adapter's own argument names (for the "did you mean" hint).

    Raises:
        TypeError: naming the first unknown keyword and the closest known one.
    """
    known = sorted((ALGORITHM_OPTIONS | set(own)) - {"self", "kwargs"})
    for name in kwargs:
        if name not in ALGORITHM_OPTIONS:
            near = difflib.get_close_matches(name, known, n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise TypeError(f"EDNAG() got an unexpected keyword argument {name!r}{hint}")
