"""Related tasks as prior data for :class:`~ednag_opt.fitness.predictors.PriorSurrogate`.

- :func:`prior_tables` turns a ``prior=`` list (fitness sources, ``(architectures,
  values)`` pairs) into larger-is-better tables over one space;
- :func:`resolve_prior` meta-trains a :class:`PriorSurrogate` on them (or passes a fitted
  one through);
- :func:`prior_from_names` builds that list from benchmark names, as the command line's
  ``--prior cifar10,ImageNet16-120`` does;
- :func:`nb201_to_micro` maps NAS-Bench-201 cells without ``avg_pool_3x3`` onto the
  TransNAS-Bench-101 micro space (the same six edges; ops none, skip, conv1x1, conv3x3).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

from ednag_opt.fitness.predictors.transfer import PriorSurrogate
from ednag_opt.spaces import SearchSpace, get_space

__all__ = ["prior_tables", "resolve_prior", "prior_from_names", "nb201_to_micro"]

#: NB201 op name -> TransNAS micro op index (avg_pool_3x3 has no counterpart).
_NB201_TO_MICRO = {"none": 0, "skip_connect": 1, "nor_conv_1x1": 2, "nor_conv_3x3": 3}


def _table_of(source: Any, space: SearchSpace) -> tuple[list[Any], np.ndarray] | None:
    """The whole column of a table fitness source, parsed into ``space``; None if no table."""
    table, metric = getattr(source, "table", None), getattr(source, "metric", None)
    if table is None or metric not in getattr(table, "columns", {}):
        return None
    archs: list[Any] = []
    keep: list[int] = []
    for i, s in enumerate(table.archs):
        try:
            archs.append(space.from_str(s))
        except (ValueError, KeyError, TypeError):
            continue
        keep.append(i)
    if not archs:
        raise ValueError(
            f"prior source {getattr(source, 'name', source)!r} has no architecture of the "
            f"{space.name} space (e.g. {table.archs[0]!r}); map it first (nb201_to_micro)"
        )
    sign = 1.0 if source.maximize else -1.0
    return archs, sign * np.asarray(table.columns[metric], dtype=np.float64)[keep]


def prior_tables(
    prior: Sequence[Any],
    space: SearchSpace | str,
    maximize: bool = True,
    *,
    samples: int = 2000,
    seed: int = 0,
) -> list[tuple[list[Any], np.ndarray]]:
    """Related tasks as ``(architectures, values)`` tables, values larger-is-better.

    Args:
        prior: items, each a table fitness source (its whole metric column), another
            fitness source with ``maximize`` (queried on ``samples`` random
            architectures), or an ``(architectures, values)`` pair in the searched
            direction ``maximize``.
        space: the searched space.
        maximize: direction of the searched fitness (for plain pairs).
        samples: random architectures queried from a source without a table.
        seed: seed of that sample.

    Returns:
        One table per item.

    Raises:
        TypeError: on an item of another kind; ValueError: on an empty or foreign table.
    """
    space = get_space(space) if isinstance(space, str) else space
    out = []
    for i, item in enumerate(prior):
        if isinstance(item, tuple | list) and len(item) == 2:
            archs, y = list(item[0]), np.asarray(item[1], dtype=np.float64)
            out.append((archs, y if maximize else -y))
        elif callable(item) and hasattr(item, "maximize"):
            got = _table_of(item, space)
            if got is None:
                archs = space.sample(samples, generator=torch.Generator().manual_seed(seed + i))
                y = np.asarray(item(archs), dtype=np.float64)
                got = archs, (y if item.maximize else -y)
            out.append(got)
        else:
            raise TypeError(
                f"prior item {i} must be a fitness source, an (architectures, values) pair or "
                f"a fitted PriorSurrogate, got {type(item).__name__}"
            )
    return out


def resolve_prior(prior: Any, space: SearchSpace, maximize: bool, *, seed: int = 0,
                  options: dict[str, Any] | None = None) -> PriorSurrogate:  # fmt: skip
    """A fitted :class:`PriorSurrogate` for ``prior`` (meta-trained here unless given).

    Args:
        prior: a fitted ``PriorSurrogate``, or a non-empty list of related tasks (see
            :func:`prior_tables`) or holding exactly one fitted ``PriorSurrogate``.
        space: the searched space.
        maximize: the searched fitness's direction.
        seed: seed of meta-training (when it happens here).
        options: ``PriorSurrogate`` keyword arguments (not with a fitted model).

    Returns:
        The fitted model.

    Raises:
        TypeError, ValueError: on an empty, mixed or unfitted prior.
    """
    items = [prior] if isinstance(prior, PriorSurrogate) else prior
    if not isinstance(items, list | tuple) or not items:
        raise TypeError(f"prior must be a non-empty list or a PriorSurrogate, got {prior!r}")
    models = [p for p in items if isinstance(p, PriorSurrogate)]
    if models:
        if len(items) != 1:
            raise ValueError("prior: pass one fitted PriorSurrogate alone, not mixed with tasks")
        if options:
            raise ValueError("prior_options apply when meta-training here, not to a fitted model")
        if models[0].net_ is None:
            raise ValueError("prior: the PriorSurrogate is not fitted (call fit or load)")
        if models[0].space.name != space.name:
            raise ValueError(f"prior model is for {models[0].space.name!r}, not {space.name!r}")
        return models[0]
    opts = {"seed": seed, **(options or {})}
    return PriorSurrogate(space, **opts).fit(prior_tables(items, space, maximize, seed=seed))


def nb201_to_micro(source: Any) -> tuple[list[Any], np.ndarray]:
    """An NAS-Bench-201 table source's cells without avg_pool, as TransNAS micro cells.

    Args:
        source: a table fitness source over NB201 strings (e.g. ``NB201Fitness``).

    Returns:
        ``(micro architectures, values)``, values larger-is-better (4,096 cells).
    """
    micro = get_space("transnas-micro")
    archs, keep = [], []
    for i, s in enumerate(source.table.archs):
        ops = [e.split("~")[0] for e in s.replace("+", "").split("|") if e]
        if len(ops) == 6 and all(o in _NB201_TO_MICRO for o in ops):
            archs.append(micro.make(tuple(_NB201_TO_MICRO[o] for o in ops)))
            keep.append(i)
    sign = 1.0 if source.maximize else -1.0
    return archs, sign * np.asarray(source.table.columns[source.metric])[keep]


def prior_from_names(
    names: str | Sequence[str], space: str | SearchSpace, *, exclude: str | None = None
) -> list[Any]:
    """The ``prior=`` list of named related tasks (the command line's ``--prior``).

    Args:
        names: comma-separated or a list: NAS-Bench-201 datasets (``cifar10``,
            ``cifar100``, ``ImageNet16-120`` and their aliases) or TransNAS-Bench-101 tasks
            (``class_scene``, ...). NB201 names for the TransNAS micro space are mapped
            with :func:`nb201_to_micro`.
        space: the searched space (``nas-bench-201``, ``transnas-micro``, ``transnas-macro``).
        exclude: the searched dataset or task: naming it in ``names`` is an error (its
            values would leak into meta-training).

    Returns:
        Fitness sources (validation metrics) or mapped ``(architectures, values)`` pairs.

    Raises:
        ValueError: on an empty list, an unknown or repeated name, the excluded task, or a
            space without named tasks.
    """
    from ednag_opt.fitness import NB201Fitness, TransNASFitness
    from ednag_opt.fitness.nb201_encoding import resolve_dataset
    from ednag_opt.fitness.transnas import TNB_TASKS

    name = (get_space(space) if isinstance(space, str) else space).name
    items = [n.strip() for n in (names.split(",") if isinstance(names, str) else names)]
    if not items or not all(items):
        raise ValueError(f"prior: need comma-separated task names, got {names!r}")
    tnb = name in ("transnas-micro", "transnas-macro")
    canon = []
    for n in items:  # every name checked before any table is read
        if n in TNB_TASKS and tnb:
            canon.append(n)
            continue
        try:
            ds = resolve_dataset(n)
        except ValueError:
            ds = None
        if ds is None or name not in ("nas-bench-201", "transnas-micro"):
            raise ValueError(
                f"prior: unknown task {n!r} for space {name!r}; NAS-Bench-201 datasets "
                "['cifar10', 'cifar100', 'ImageNet16-120'] (for nas-bench-201 and "
                f"transnas-micro) or TransNAS tasks {list(TNB_TASKS)} (for transnas-micro/macro)"
            )
        canon.append(ds)
    held = None
    if exclude is not None:
        held = exclude if exclude in TNB_TASKS else resolve_dataset(exclude)
    if held is not None and held in canon and (name == "nas-bench-201") == (held not in TNB_TASKS):
        raise ValueError(f"prior: {held!r} is the searched task itself; name related tasks only")
    if len(set(canon)) != len(canon):
        raise ValueError(f"prior: a task is named twice in {names!r}")
    out: list[Any] = []
    for n in canon:
        if n in TNB_TASKS:
            out.append(TransNASFitness(n, name.split("-")[1]))
        elif name == "nas-bench-201":
            out.append(NB201Fitness(n, metric="val"))
        else:
            out.append(nb201_to_micro(NB201Fitness(n, metric="val")))
    return out
