"""NAS-Bench-101 cell space: a 7-node DAG with 5 labelled intermediate nodes.

A cell is an upper-triangular 7x7 adjacency (node 0 input, node 6 output) and one
op per intermediate node from :data:`NB101_OPS`. Validity follows the benchmark's
``ModelSpec``: after pruning nodes not on an input-to-output path, a path must exist
and at most 9 edges remain. Cells keep their unpruned matrix (as NASLib stores them);
``cell.key`` is the benchmark's isomorphism-invariant hash of the pruned cell, so use
it (not the string) to deduplicate or to look up benchmark tables.

Encoding: 21 edge rows (upper-triangular, row-major; options [off, on]) then 5 op rows
(options as :data:`NB101_OPS`): D1 = 26, D2 = 3. Decode takes the argmax; cells that
are invalid are repaired by :func:`~ednag_opt.spaces.nb101_graph.repair` (add the
strongest path, drop the weakest edges), using the edge logits.

String: NASLib's tuple ``(49 flattened adjacency entries, 7 op codes)`` with op codes
0 input, 1 output, 2 maxpool3x3, 3 conv1x1-bn-relu, 4 conv3x3-bn-relu.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import ClassVar

import numpy as np
import torch

from .base import SearchSpace, is_int, parse_error, register_space
from .nb101_graph import (
    MAX_EDGES,
    N_NODES,
    TRIU,
    graph_hash,
    on_path_nodes,
    pruned_edge_count,
    reach,
    repair,
)

__all__ = ["NB101_OPS", "NB101Cell", "NB101Space"]

#: Intermediate ops; the index is also the benchmark's hash label.
NB101_OPS: tuple[str, ...] = ("conv3x3-bn-relu", "conv1x1-bn-relu", "maxpool3x3")
_NASLIB_CODES = ("input", "output", "maxpool3x3", "conv1x1-bn-relu", "conv3x3-bn-relu")
_N_EDGE_ROWS = len(TRIU[0])
_FMT = "NASLib tuple '(49 adjacency 0/1 entries, 0, 3 op codes in 2-4, 1)' (56 ints)"

Matrix = tuple[tuple[int, ...], ...]

_ROW_TUPLES = [tuple((c >> (N_NODES - 1 - i)) & 1 for i in range(N_NODES)) for c in range(128)]
_OP_TUPLES = list(itertools.product(range(len(NB101_OPS)), repeat=N_NODES - 2))


@dataclass(frozen=True)
class NB101Cell:
    """A NAS-Bench-101 cell: ``matrix`` (7x7 0/1) and ``ops`` (5 NB101_OPS indices)."""

    matrix: Matrix
    ops: tuple[int, ...]

    def __str__(self) -> str:
        codes = [0] + [_NASLIB_CODES.index(NB101_OPS[o]) for o in self.ops] + [1]
        return str(tuple(int(v) for row in self.matrix for v in row) + tuple(codes))

    def pruned(self) -> tuple[np.ndarray, list[int]]:
        """Matrix and hash labels of the cell without nodes off input-output paths."""
        keep = on_path_nodes(self.matrix)
        if keep is None:
            raise ValueError("cell has no input-to-output path")
        labels = [-1] + [int(self.ops[v - 1]) for v in keep[1:-1]] + [-2]
        return np.array([[self.matrix[i][j] for j in keep] for i in keep], dtype=np.int64), labels

    @cached_property
    def key(self) -> str:
        """NAS-Bench-101 graph hash of the pruned cell (shared by isomorphic cells)."""
        return _cell_key(self.matrix, self.ops)

    @property
    def num_edges(self) -> int:
        """Edges of the pruned cell."""
        return int(self.pruned()[0].sum())


@lru_cache(maxsize=1 << 16)
def _cell_key(matrix: Matrix, ops: tuple[int, ...]) -> str:
    keep = on_path_nodes(matrix)
    if keep is None:
        raise ValueError("cell has no input-to-output path")
    pruned = tuple(tuple(matrix[i][j] for j in keep) for i in keep)
    return _pruned_key(pruned, (-1, *(int(ops[v - 1]) for v in keep[1:-1]), -2))


@lru_cache(maxsize=1 << 16)
def _pruned_key(matrix: Matrix, labels: tuple[int, ...]) -> str:
    return graph_hash(matrix, labels)


@register_space("nas-bench-101", aliases=("nb101", "nasbench101"))
class NB101Space(SearchSpace[NB101Cell]):
    """NAS-Bench-101 cell space.

    Args:
        prune: if True, decode and sample return pruned cells (edges and ops of nodes
            off every input-output path reset to 0); default False keeps them.
    """

    name: ClassVar[str] = "nas-bench-101"
    arch_type: ClassVar[type] = NB101Cell
    choice_counts = (2,) * _N_EDGE_ROWS + (3,) * (N_NODES - 2)

    def __init__(self, prune: bool = False) -> None:
        self.prune = bool(prune)

    @property
    def num_architectures(self) -> int:
        """423,624 unique cells up to isomorphism (NAS-Bench-101 paper)."""
        return 423_624

    # ---------------------------------------------------------------- rows
    def _to_rows(self, arch: NB101Cell) -> list[int]:
        m = arch.matrix
        return [m[i][j] for i, j in zip(*TRIU, strict=True)] + list(arch.ops)

    def _adjacency(self, idx: np.ndarray) -> np.ndarray:
        adj = np.zeros((idx.shape[0], N_NODES, N_NODES), dtype=bool)
        adj[:, TRIU[0], TRIU[1]] = idx[:, :_N_EDGE_ROWS] == 1
        return adj

    @staticmethod
    def _valid(adj: np.ndarray) -> np.ndarray:
        fwd, bwd = reach(adj)
        return fwd[:, -1] & (pruned_edge_count(adj, fwd, bwd) <= MAX_EDGES)

    def _decode(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[NB101Cell]:
        adj = self._adjacency(idx)
        bad = np.flatnonzero(~self._valid(adj))
        if bad.size:
            if logits is None:
                raise ValueError("invalid NB101 rows without logits to repair them")
            sub = logits[torch.from_numpy(bad), :_N_EDGE_ROWS].double()
            adj[bad] = repair(adj[bad], (sub[..., 1] - sub[..., 0]).numpy())
        ops = idx[:, _N_EDGE_ROWS:].copy()
        if self.prune:
            fwd, bwd = reach(adj)
            on = fwd & bwd
            adj &= on[:, :, None] & on[:, None, :]
            ops[~on[:, 1:-1]] = 0
        # build tuples from small cached pieces: one code per matrix row and per op list
        row_codes = (adj.astype(np.int64) << np.arange(N_NODES - 1, -1, -1)).sum(axis=2)
        op_codes = (ops * 3 ** np.arange(N_NODES - 3, -1, -1)).sum(axis=1)
        rows, op_tuples = _ROW_TUPLES, _OP_TUPLES
        return [
            NB101Cell(tuple([rows[c] for c in r]), op_tuples[o])
            for r, o in zip(row_codes.tolist(), op_codes.tolist(), strict=True)
        ]

    def repair_needed(self, x: torch.Tensor | np.ndarray) -> torch.Tensor:
        """Bool ``(N,)``: True where the argmax cell of ``x`` is invalid (needs repair)."""
        logits = self._check_tensor(x)
        idx = logits.masked_fill(~self.mask, -float("inf")).argmax(-1).numpy()
        return torch.from_numpy(~self._valid(self._adjacency(idx)))

    def sample(self, n: int, generator: torch.Generator | None = None) -> list[NB101Cell]:
        """``n`` valid cells by rejection: each edge on with probability 1/2, ops uniform
        (NASLib's sampler; not uniform over isomorphism classes)."""
        n = int(n)
        chunks: list[np.ndarray] = []
        have = 0
        while have < n:
            m = max(256, 4 * (n - have))
            edges = (torch.rand(m, _N_EDGE_ROWS, generator=generator) < 0.5).long()
            ops = torch.randint(3, (m, N_NODES - 2), generator=generator)
            idx = torch.cat([edges, ops], dim=1).numpy()
            idx = idx[self._valid(self._adjacency(idx))]
            chunks.append(idx)
            have += len(idx)
        return self._decode(np.concatenate(chunks)[:n], None)

    # ------------------------------------------------------------ validity
    def _check_arch(self, arch: NB101Cell) -> str | None:
        m, ops = arch.matrix, arch.ops
        if not (isinstance(m, tuple) and len(m) == N_NODES):
            return "matrix must be a tuple of 7 rows"
        for i, row in enumerate(m):
            if not (isinstance(row, tuple) and len(row) == N_NODES):
                return "matrix rows must be tuples of 7 entries"
            if not all(is_int(v) and v in (0, 1) for v in row):
                return "matrix entries must be 0 or 1"
            if any(row[: i + 1]):
                return "matrix must be strictly upper triangular"
        if not (isinstance(ops, tuple) and len(ops) == N_NODES - 2):
            return "ops must be a tuple of 5 ints"
        if not all(is_int(o) and 0 <= o < len(NB101_OPS) for o in ops):
            return f"ops must index {NB101_OPS}"
        keep = on_path_nodes(m)
        if keep is None:
            return "no path from input to output"
        edges = sum(m[i][j] for i in keep for j in keep)
        if edges > MAX_EDGES:
            return f"{edges} edges after pruning, at most {MAX_EDGES} allowed"
        return None

    # -------------------------------------------------------------- strings
    def from_str(self, s: str) -> NB101Cell:
        if not isinstance(s, str) or len(s) > 2000:
            raise parse_error(self.name, s, "not a string of sensible length", _FMT)
        try:
            t = ast.literal_eval(s.strip())
        except (ValueError, SyntaxError, MemoryError, RecursionError) as exc:
            raise parse_error(self.name, s, "not a tuple literal", _FMT) from exc
        if not isinstance(t, tuple | list) or len(t) != N_NODES * N_NODES + N_NODES:
            raise parse_error(self.name, s, "need 56 integers", _FMT)
        if not all(is_int(v) for v in t):
            raise parse_error(self.name, s, "entries must be integers", _FMT)
        codes = list(t[N_NODES * N_NODES :])
        if codes[0] != 0 or codes[-1] != 1 or not all(c in (2, 3, 4) for c in codes[1:-1]):
            raise parse_error(self.name, s, "op codes must be 0, five of 2-4, then 1", _FMT)
        ops = tuple(NB101_OPS.index(_NASLIB_CODES[c]) for c in codes[1:-1])
        flat = [int(v) for v in t[: N_NODES * N_NODES]]
        matrix = tuple(tuple(flat[r * N_NODES : (r + 1) * N_NODES]) for r in range(N_NODES))
        return self._checked(NB101Cell(matrix, ops), s)

    def _checked(self, cell: NB101Cell, shown: object) -> NB101Cell:
        reason = self._check_arch(cell)
        if reason is not None:
            raise parse_error(self.name, shown, reason, _FMT)
        return cell

    def from_spec(self, matrix: Sequence[Sequence[int]], ops: Sequence[str]) -> NB101Cell:
        """Cell from a benchmark ``ModelSpec`` (op names incl. 'input'/'output').

        Specs with fewer than 7 vertices (as stored for pruned cells) are padded with
        isolated conv3x3 vertices before the output.
        """
        m = np.asarray(matrix, dtype=np.int64)
        v = len(ops)
        if m.shape != (v, v) or not 2 <= v <= N_NODES:
            raise ValueError(
                f"spec needs a square matrix of 2..7 vertices matching ops, got {m.shape}"
            )
        if ops[0] != "input" or ops[-1] != "output" or not set(ops[1:-1]) <= set(NB101_OPS):
            raise ValueError(f"spec ops must be 'input', {NB101_OPS} entries, 'output'")
        full = np.zeros((N_NODES, N_NODES), dtype=np.int64)
        pos = list(range(v - 1)) + [N_NODES - 1]
        full[np.ix_(pos, pos)] = m
        names = list(ops[1:-1]) + [NB101_OPS[0]] * (N_NODES - v)
        cell = NB101Cell(tuple(map(tuple, full.tolist())), tuple(NB101_OPS.index(o) for o in names))
        return self._checked(cell, (m.tolist(), list(ops)))

    def to_spec(self, arch: NB101Cell) -> tuple[list[list[int]], list[str]]:
        """The pruned ``(matrix, ops)`` spec, as the benchmark stores it."""
        self._require_valid(arch)
        matrix, labels = arch.pruned()
        names = ["input"] + [NB101_OPS[lab] for lab in labels[1:-1]] + ["output"]
        return matrix.tolist(), names

    def canonicalize(self, arch: NB101Cell) -> NB101Cell:
        """The pruned cell in 7-node form (off-path nodes get no edges and op 0)."""
        self._require_valid(arch)
        adj = np.asarray(arch.matrix, dtype=bool)[None]
        fwd, bwd = reach(adj)
        on = (fwd & bwd)[0]
        adj = adj[0] & on[:, None] & on[None, :]
        ops = tuple(o if on[i + 1] else 0 for i, o in enumerate(arch.ops))
        return NB101Cell(tuple(map(tuple, adj.astype(int).tolist())), ops)
