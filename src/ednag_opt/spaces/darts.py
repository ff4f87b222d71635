"""DARTS / NAS-Bench-301 space: a normal and a reduction cell, 8 edges each.

Intermediate node k (0..3) takes two edges from distinct inputs among the k + 2
earlier nodes (0 and 1 are the cell inputs) with one of the 7 :data:`DARTS_OPS`.

Convention: a node's two edges form an unordered pair (swapping them gives the same
network), so architectures store each node's edges sorted by input. Per cell that is
prod_k C(k+2, 2) * 7**2 = 1,037,664,180 cells; the space has its square,
1,076,746,950,455,072,400 (~1.08e18) architectures.

Encoding: per cell and edge (node-major, slot 0 then 1) an input row (k + 2 options)
and an op row (7 options): D1 = 32, D2 = 7. Decode takes the masked argmax; when a
node's two slots pick the same input, the repair takes the best-scoring pair of
distinct inputs (exact MAP for that node), then sorts the pair.

Strings: NASLib's compact form ``[[(input, op) x8], [(input, op) x8]]`` (``to_str``),
op index order as :data:`DARTS_OPS` (checked against NASLib's sample of NB301); and the
DARTS ``Genotype(...)`` form (:meth:`DartsSpace.to_genotype`). ``from_str`` reads both.
"""

from __future__ import annotations

import ast
import math
import re
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from .base import SearchSpace, is_int, parse_error, register_space

__all__ = ["DARTS_OPS", "DartsArch", "DartsSpace"]

DARTS_OPS: tuple[str, ...] = (
    "max_pool_3x3",
    "avg_pool_3x3",
    "skip_connect",
    "sep_conv_3x3",
    "sep_conv_5x5",
    "dil_conv_3x3",
    "dil_conv_5x5",
)
N_NODES, N_EDGES = 4, 8
_N_INPUTS = tuple(e // 2 + 2 for e in range(N_EDGES))  # options of each edge's input row
_FMT = (
    "NASLib compact '[[(input, op) x8], [(input, op) x8]]' or "
    "\"Genotype(normal=[('op', input) x8], normal_concat=[2, 3, 4, 5], reduce=[...], "
    'reduce_concat=[2, 3, 4, 5])"'
)
_GENO_RE = re.compile(
    r"^\s*Genotype\(\s*normal\s*=\s*(\[[^\]]*\])\s*,\s*normal_concat\s*=\s*(\[[^\]]*\]|range\(2,\s*6\))"
    r"\s*,\s*reduce\s*=\s*(\[[^\]]*\])\s*,\s*reduce_concat\s*=\s*(\[[^\]]*\]|range\(2,\s*6\))\s*\)\s*$"
)

Cell = tuple[tuple[int, int], ...]

_EDGES = [(i, op) for i in range(5) for op in range(len(DARTS_OPS))]
_NODE_PAIRS = [(a, b) for a in _EDGES for b in _EDGES]  # index: code(a) * 35 + code(b)


@dataclass(frozen=True, slots=True)
class DartsArch:
    """A DARTS architecture: 8 ``(input, op)`` edges per cell, op indexing DARTS_OPS.

    Edges ``2k`` and ``2k + 1`` feed intermediate node k, sorted by input.
    """

    normal: Cell
    reduce: Cell

    def __str__(self) -> str:
        cells = [[(int(i), int(op)) for i, op in c] for c in (self.normal, self.reduce)]
        return str(cells)

    @property
    def key(self) -> str:
        """Canonical cache key (the compact string)."""
        return str(self)


def _canonical_cell(cell: Cell) -> Cell:
    out: list[tuple[int, int]] = []
    for k in range(N_NODES):
        a, b = cell[2 * k], cell[2 * k + 1]
        out.extend((a, b) if a[0] <= b[0] else (b, a))
    return tuple(out)


def _cell_reason(cell: object) -> str | None:
    if not isinstance(cell, tuple) or len(cell) != N_EDGES:
        return "each cell needs 8 (input, op) edges"
    for e, edge in enumerate(cell):
        if not (isinstance(edge, tuple) and len(edge) == 2 and all(is_int(v) for v in edge)):
            return f"edge {e} must be an (input, op) pair of ints"
        if not 0 <= edge[0] < _N_INPUTS[e]:
            return f"edge {e} (node {e // 2}) input must be in [0, {_N_INPUTS[e]})"
        if not 0 <= edge[1] < len(DARTS_OPS):
            return f"edge {e} op must be in [0, {len(DARTS_OPS)})"
    for k in range(N_NODES):
        if cell[2 * k][0] == cell[2 * k + 1][0]:
            return f"node {k} takes both edges from input {cell[2 * k][0]}"
    return None


@register_space("darts", aliases=("nas-bench-301", "nb301", "nasbench301"))
class DartsSpace(SearchSpace[DartsArch]):
    """DARTS cell space as used by NAS-Bench-301."""

    name: ClassVar[str] = "darts"
    arch_type: ClassVar[type] = DartsArch
    choice_counts = tuple(c for _ in range(2) for n in _N_INPUTS for c in (n, len(DARTS_OPS)))

    @property
    def num_architectures(self) -> int:
        per_cell = math.prod(math.comb(k + 2, 2) * len(DARTS_OPS) ** 2 for k in range(N_NODES))
        return per_cell**2

    def _to_rows(self, arch: DartsArch) -> list[int]:
        return [v for cell in (arch.normal, arch.reduce) for edge in cell for v in edge]

    def _check_arch(self, arch: DartsArch) -> str | None:
        for name in ("normal", "reduce"):
            cell = getattr(arch, name)
            reason = _cell_reason(cell)
            if reason is not None:
                return f"{name} cell: {reason}"
            if _canonical_cell(cell) != cell:
                return f"{name} cell: a node's two edges must be sorted by input"
        return None

    def canonicalize(self, arch: DartsArch) -> DartsArch:
        """``arch`` with each node's edges sorted by input."""
        return DartsArch(_canonical_cell(arch.normal), _canonical_cell(arch.reduce))

    # ---------------------------------------------------------------- decode
    def _decode(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[DartsArch]:
        n = idx.shape[0]
        inp = idx[:, 0::2].reshape(n, 2, N_NODES, 2).copy()  # (N, cell, node, slot)
        ops = idx[:, 1::2].reshape(n, 2, N_NODES, 2).copy()
        clash = inp[..., 0] == inp[..., 1]
        if clash.any():
            if logits is None:
                raise ValueError("clashing inputs without logits to repair them")
            self._repair(inp, clash, logits)
        swap = inp[..., 0] > inp[..., 1]
        for arr in (inp, ops):
            arr[swap] = arr[swap][:, ::-1]
        # build tuples from cached pieces: one code per node (its two edges)
        codes = ((inp[..., 0] * 7 + ops[..., 0]) * 35 + inp[..., 1] * 7 + ops[..., 1]).reshape(n, 8)
        p = _NODE_PAIRS
        return [
            DartsArch(p[a] + p[b] + p[c] + p[d], p[e] + p[f] + p[g] + p[h])
            for a, b, c, d, e, f, g, h in codes.tolist()
        ]

    def _repair(self, inp: np.ndarray, clash: np.ndarray, logits: torch.Tensor) -> None:
        """Best pair of distinct inputs for each clashing node (in place)."""
        b, c, k = np.nonzero(clash)
        row0 = c * 2 * N_EDGES + 4 * k  # input row of the node's slot 0; slot 1 is row0 + 2
        both = logits[torch.from_numpy(b)[:, None], torch.from_numpy(np.stack([row0, row0 + 2], 1))]
        both = both.double().masked_fill(~self.mask[torch.from_numpy(row0)][:, None], -math.inf)
        x0, x1 = both[:, 0].numpy(), both[:, 1].numpy()  # (M, D2) input logits of both slots
        m = np.arange(len(b))
        top = inp[b, c, k, 0]
        second0 = np.where(np.arange(x0.shape[1]) == top[:, None], -np.inf, x0).argmax(1)
        second1 = np.where(np.arange(x1.shape[1]) == top[:, None], -np.inf, x1).argmax(1)
        keep0 = x0[m, top] + x1[m, second1] >= x0[m, second0] + x1[m, top]
        inp[b, c, k, 0] = np.where(keep0, top, second0)
        inp[b, c, k, 1] = np.where(keep0, second1, top)

    def sample(self, n: int, generator: torch.Generator | None = None) -> list[DartsArch]:
        """``n`` architectures uniform over the (unordered-pair) space."""
        n = int(n)
        idx = np.zeros((n, len(self.choice_counts)), dtype=np.int64)
        u = torch.rand(n, 2, N_NODES, 3, generator=generator, dtype=torch.float64).numpy()
        for k in range(N_NODES):
            m = k + 2
            first = np.minimum((u[:, :, k, 0] * m).astype(np.int64), m - 1)
            other = np.minimum((u[:, :, k, 1] * (m - 1)).astype(np.int64), m - 2)
            second = other + (other >= first)
            for c in range(2):
                base = c * 2 * N_EDGES + 4 * k
                idx[:, base], idx[:, base + 2] = first[:, c], second[:, c]
        ops = torch.randint(len(DARTS_OPS), (n, 2 * N_EDGES), generator=generator).numpy()
        idx[:, 1::2] = ops
        return self._decode(idx, None)

    # --------------------------------------------------------------- strings
    def to_genotype(self, arch: DartsArch) -> str:
        """The DARTS ``Genotype(...)`` string."""
        self._require_valid(arch)

        def cell(c: Cell) -> str:
            return "[" + ", ".join(f"('{DARTS_OPS[op]}', {i})" for i, op in c) + "]"

        return (
            f"Genotype(normal={cell(arch.normal)}, normal_concat=[2, 3, 4, 5], "
            f"reduce={cell(arch.reduce)}, reduce_concat=[2, 3, 4, 5])"
        )

    def from_str(self, s: str) -> DartsArch:
        """Parse the compact or Genotype form; edges are canonicalised (sorted)."""
        if not isinstance(s, str):
            raise parse_error(self.name, s, "not a string", _FMT)
        if len(s) > 5000:
            raise parse_error(self.name, s, "string too long", _FMT)
        geno = _GENO_RE.match(s)
        try:
            if geno:
                cells = []
                for text, concat in ((geno[1], geno[2]), (geno[3], geno[4])):
                    if concat.startswith("[") and ast.literal_eval(concat) != [2, 3, 4, 5]:
                        raise parse_error(self.name, s, "concat must be [2, 3, 4, 5]", _FMT)
                    pairs = ast.literal_eval(text)
                    if not all(isinstance(p, tuple) and len(p) == 2 for p in pairs):
                        raise parse_error(self.name, s, "genotype edges are (op, input)", _FMT)
                    if not all(isinstance(op, str) and op in DARTS_OPS for op, _ in pairs):
                        raise parse_error(self.name, s, f"ops must be in {DARTS_OPS}", _FMT)
                    cells.append(tuple((i, DARTS_OPS.index(op)) for op, i in pairs))
            else:
                obj = ast.literal_eval(s.strip())
                if not isinstance(obj, list | tuple) or len(obj) != 2:
                    raise parse_error(self.name, s, "need two cells", _FMT)
                cells = [
                    tuple(tuple(e) if isinstance(e, list | tuple) else e for e in c)
                    if isinstance(c, list | tuple)
                    else c
                    for c in obj
                ]
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
            if isinstance(exc, ValueError) and str(exc).startswith("cannot parse"):
                raise
            raise parse_error(self.name, s, "not a valid literal", _FMT) from exc
        for name, cell in zip(("normal", "reduce"), cells, strict=True):
            reason = _cell_reason(cell)
            if reason is not None:
                raise parse_error(self.name, s, f"{name} cell: {reason}", _FMT)
        cells = [tuple((int(i), int(o)) for i, o in c) for c in cells]
        return DartsArch(_canonical_cell(cells[0]), _canonical_cell(cells[1]))
