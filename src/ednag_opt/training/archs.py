"""Parsing of NAS-Bench-201 and DARTS cell encodings (op names from ``ednag_opt.spaces``).

NB201 cells are given as the NB201 string ``|op~0|+|op~0|op~1|+|op~0|op~1|op~2|``, any object
whose ``str()`` is that string, or a sequence of 6 op names / op indices in edge order
(1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2). DARTS genotypes are NASLib's compact form
``[[(input, op) x8 normal], [(input, op) x8 reduce]]`` as a string or a nested sequence.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import Any

from ..spaces.darts import DARTS_OPS
from ..spaces.nb201 import NB201_OPS

__all__ = [
    "NB201_OPS",
    "NB201_EDGES",
    "DARTS_OPS",
    "parse_nb201",
    "nb201_string",
    "parse_darts",
    "darts_string",
    "arch_string",
    "is_darts",
]

#: (to_node, from_node) for the 6 edges, in NB201 string order.
NB201_EDGES: tuple[tuple[int, int], ...] = ((1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2))


Genotype = tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]


def _op_name(op: Any) -> str:
    if isinstance(op, str):
        if op not in NB201_OPS:
            raise ValueError(f"unknown NB201 op {op!r}; expected one of {NB201_OPS}")
        return op
    i = int(op)
    if not 0 <= i < len(NB201_OPS):
        raise ValueError(f"NB201 op index {i} out of range")
    return NB201_OPS[i]


def parse_nb201(arch: Any) -> tuple[str, ...]:
    """Return the 6 op names of an NB201 cell in edge order (see :data:`NB201_EDGES`)."""
    if not isinstance(arch, str) and isinstance(arch, Sequence) and len(arch) == 6:
        return tuple(_op_name(o) for o in arch)
    from ..spaces.nb201 import NB201Space  # the one NB201 string parser

    return NB201Space().from_str(str(arch)).op_names


def nb201_string(ops: Sequence[Any]) -> str:
    """Canonical NB201 string of a cell given as 6 op names or indices (or any accepted form)."""
    names = parse_nb201(ops)
    k = 0
    nodes = []
    for to_node in (1, 2, 3):
        parts = [f"{names[k + j]}~{j}" for j in range(to_node)]
        k += to_node
        nodes.append("|" + "|".join(parts) + "|")
    return "+".join(nodes)


def _parse_cell(cell: Any) -> tuple[tuple[int, int], ...]:
    pairs = tuple((int(a), int(b)) for a, b in cell)
    if len(pairs) != 8:
        raise ValueError(f"a DARTS cell needs 8 (input, op) pairs, got {len(pairs)}")
    for k, (inp, op) in enumerate(pairs):
        node = k // 2  # intermediate node 0..3 may read inputs 0..node+1
        if not 0 <= inp <= node + 1:
            raise ValueError(f"pair {k}: input {inp} invalid for intermediate node {node}")
        if not 0 <= op < len(DARTS_OPS):
            raise ValueError(f"pair {k}: op index {op} out of range")
    return pairs


def parse_darts(arch: Any) -> Genotype:
    """Return ``(normal, reduce)``, each 8 ``(input, op_index)`` pairs."""
    if isinstance(arch, str):
        obj = ast.literal_eval(arch.strip())
    elif isinstance(arch, Sequence):
        obj = arch
    else:
        obj = ast.literal_eval(str(arch).strip())
    if len(obj) != 2:
        raise ValueError("a DARTS genotype is [normal_cell, reduction_cell]")
    return _parse_cell(obj[0]), _parse_cell(obj[1])


def darts_string(arch: Any) -> str:
    """Canonical compact string, e.g. ``[[(0, 3), ...], [(1, 0), ...]]``."""
    normal, reduce = parse_darts(arch)
    return str([list(normal), list(reduce)])


def is_darts(arch: Any) -> bool:
    """True when ``arch`` looks like a DARTS genotype rather than an NB201 cell."""
    if isinstance(arch, str):
        return arch.strip().startswith("[")
    if isinstance(arch, Sequence):
        return len(arch) == 2
    return str(arch).strip().startswith("[")


def arch_string(arch: Any) -> str:
    """The benchmark string of an NB201 cell or a DARTS genotype in any accepted form (the
    cache key is ``ednag_opt.fitness.arch_key``)."""
    return darts_string(arch) if is_darts(arch) else nb201_string(arch)
