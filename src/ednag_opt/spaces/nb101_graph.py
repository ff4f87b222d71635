"""Graph utilities for NAS-Bench-101 cells: reachability, pruning, hashing, repair.

All batched functions take boolean adjacency tensors ``A`` of shape ``(N, 7, 7)``
(strictly upper triangular: node 0 is the input, node 6 the output).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

__all__ = [
    "MAX_EDGES",
    "N_NODES",
    "TRIU",
    "graph_hash",
    "on_path_nodes",
    "pruned_edge_count",
    "reach",
    "repair",
]

N_NODES = 7
MAX_EDGES = 9
#: Upper-triangular (from, to) pairs in row-major order: the 21 edge rows.
TRIU: tuple[np.ndarray, np.ndarray] = np.triu_indices(N_NODES, 1)


def reach(adj: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nodes reachable from the input and nodes that reach the output, each ``(N, 7)``."""
    n = adj.shape[0]
    fwd = np.zeros((n, N_NODES), dtype=bool)
    bwd = np.zeros((n, N_NODES), dtype=bool)
    fwd[:, 0] = True
    bwd[:, -1] = True
    for j in range(1, N_NODES):  # topological sweep suffices for an upper-triangular DAG
        fwd[:, j] = (fwd[:, :j] & adj[:, :j, j]).any(axis=1)
    for i in range(N_NODES - 2, -1, -1):
        bwd[:, i] = (adj[:, i, i + 1 :] & bwd[:, i + 1 :]).any(axis=1)
    return fwd, bwd


def pruned_edge_count(adj: np.ndarray, fwd: np.ndarray, bwd: np.ndarray) -> np.ndarray:
    """Number of edges whose both ends lie on an input-to-output path."""
    on = fwd & bwd
    return (adj & on[:, :, None] & on[:, None, :]).sum(axis=(1, 2))


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def on_path_nodes(matrix: Sequence[Sequence[int]]) -> list[int] | None:
    """Nodes on an input-to-output path of one 7x7 cell, or None if there is no path."""
    n = len(matrix)
    fwd = [True] + [False] * (n - 1)
    for j in range(1, n):
        fwd[j] = any(fwd[i] and matrix[i][j] for i in range(j))
    bwd = [False] * (n - 1) + [True]
    for i in range(n - 2, -1, -1):
        bwd[i] = any(matrix[i][j] and bwd[j] for j in range(i + 1, n))
    return [v for v in range(n) if fwd[v] and bwd[v]] if fwd[-1] else None


def graph_hash(matrix: Sequence[Sequence[int]], labels: Sequence[int]) -> str:
    """Isomorphism-invariant MD5 hash of a (pruned) labelled DAG.

    Follows NAS-Bench-101's convention so that keys agree with the benchmark's own
    hashes: start from each vertex's (out-degree, in-degree, label), then for as many
    rounds as there are vertices rehash each vertex from its sorted in-neighbour
    hashes, its sorted out-neighbour hashes and itself; finally hash the sorted list.
    Labels: -1 input, -2 output, 0/1/2 for conv3x3 / conv1x1 / maxpool3x3.
    """
    v = len(labels)
    preds = [[w for w in range(v) if matrix[w][u]] for u in range(v)]
    succs = [[w for w in range(v) if matrix[u][w]] for u in range(v)]
    hashes = [_md5(str((len(succs[u]), len(preds[u]), int(labels[u])))) for u in range(v)]
    for _ in range(v):
        hashes = [
            _md5(
                "".join(sorted([hashes[w] for w in preds[u]]))
                + "|"
                + "".join(sorted([hashes[w] for w in succs[u]]))
                + "|"
                + hashes[u]
            )
            for u in range(v)
        ]
    return _md5(str(sorted(hashes)))


def _strongest_path(score: np.ndarray) -> np.ndarray:
    """Edges ``(M, 7, 7)`` of the input-to-output path with the highest summed score."""
    m = score.shape[0]
    full = np.full((m, N_NODES, N_NODES), -np.inf)
    full[:, TRIU[0], TRIU[1]] = score
    best = np.full((m, N_NODES), -np.inf)
    best[:, 0] = 0.0
    parent = np.zeros((m, N_NODES), dtype=np.int64)
    for j in range(1, N_NODES):
        cand = best[:, :j] + full[:, :j, j]
        parent[:, j] = cand.argmax(axis=1)
        best[:, j] = cand.max(axis=1)
    path = np.zeros((m, N_NODES, N_NODES), dtype=bool)
    rows, node = np.arange(m), np.full(m, N_NODES - 1)
    for _ in range(N_NODES - 1):
        active = node > 0
        prev = parent[rows, node]
        path[rows[active], prev[active], node[active]] = True
        node = np.where(active, prev, 0)
    return path


def repair(adj: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Deterministically make cells valid; returns the repaired ``(M, 7, 7)`` adjacency.

    Args:
        adj: ``(M, 7, 7)`` bool adjacency (the argmax cells) to repair.
        score: ``(M, 21)`` float64 edge scores (logit of "on" minus logit of "off"),
            in :data:`TRIU` order.

    1. No input-to-output path: add the path with the highest summed score (it reuses
       present edges, which score > 0, and adds the least-negative missing ones).
    2. Still more than 9 edges on input-to-output paths: keep the strongest path made
       of present edges, then add the other present edges from the strongest score
       down, each one only if the cell then has at most 9 edges on paths.
    """
    adj = adj.copy()
    present = adj[:, TRIU[0], TRIU[1]]
    fwd, bwd = reach(adj)
    has_path = fwd[:, -1]
    path = _strongest_path(np.where(has_path[:, None] & ~present, -np.inf, score))
    adj |= path & ~has_path[:, None, None]
    fwd, bwd = reach(adj)
    over = np.flatnonzero(pruned_edge_count(adj, fwd, bwd) > MAX_EDGES)
    if over.size:
        allowed, kept = adj[over], path[over].copy()
        order = np.argsort(-score[over], axis=1, kind="stable")
        local = np.arange(over.size)
        for t in range(order.shape[1]):
            i, j = TRIU[0][order[:, t]], TRIU[1][order[:, t]]
            cand = np.flatnonzero(allowed[local, i, j] & ~kept[local, i, j])
            if cand.size == 0:
                continue
            trial = kept[cand]
            trial[np.arange(cand.size), i[cand], j[cand]] = True
            tf, tb = reach(trial)
            ok = pruned_edge_count(trial, tf, tb) <= MAX_EDGES
            kept[cand[ok]] = trial[ok]
        adj[over] = kept
    return adj
