"""Graph encoder for cell DAGs: a directed GIN over the operation-node graph.

Cell spaces put operations either on the DAG's edges (NAS-Bench-201, DARTS) or on its nodes
(NAS-Bench-101). Both are turned into one form, a DAG whose *nodes* carry a type:

- :func:`edge_dag_graph` takes an ops-on-edges cell (``num_nodes`` feature maps, edges
  ``(to, from)`` each with an op) and builds its line graph: node 0 is the cell input, one
  node per edge with the edge's op as type, and a last node for the cell output; op node
  ``(j <- i)`` feeds every op node leaving ``j``, the input feeds the ops leaving node 0, and
  the ops entering the last feature map feed the output. With ``zero_op`` set, an op that is
  the zero operation keeps its node (and type) but loses its arcs: it passes nothing, so
  whether the output is reachable from the input is explicit in the graph.
- :func:`node_dag_graph` takes an ops-on-nodes cell (adjacency matrix + op per node).
- :func:`nb201_graph` is :func:`edge_dag_graph` for NAS-Bench-201 (4 nodes, 6 edges, 8 graph
  nodes, types ``input, output, none, skip_connect, nor_conv_1x1, nor_conv_3x3,
  avg_pool_3x3``).

:class:`GraphEncoder` embeds the node types and runs ``layers`` rounds of a directed GIN
update ``h <- h + MLP([(1 + eps) h, sum_pred h, sum_succ h])`` (messages along and against
the data flow), then reads out the output node's state and the mean over real nodes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import torch
from torch import nn

from ednag_opt.spaces.nb201 import NB201_EDGES, NB201_OPS

__all__ = [
    "CellGraph",
    "GraphEncoder",
    "batch_graphs",
    "edge_dag_graph",
    "nb201_graph",
    "node_dag_graph",
    "NB201_NODE_TYPES",
]

#: Node-type vocabulary of :func:`nb201_graph`.
NB201_NODE_TYPES: tuple[str, ...] = ("input", "output", *NB201_OPS)


@dataclass(frozen=True)
class CellGraph:
    """A DAG with typed nodes: ``adj[i, j] = 1`` for an arc ``i -> j``; ``types`` are ints.

    The last node is the cell output (read out by :class:`GraphEncoder`).
    """

    adj: torch.Tensor
    types: torch.Tensor

    @property
    def num_nodes(self) -> int:
        return int(self.types.shape[0])


def edge_dag_graph(
    num_nodes: int,
    edges: Sequence[tuple[int, int]],
    ops: Sequence[int],
    *,
    zero_op: int | None = None,
    type_offset: int = 2,
) -> CellGraph:
    """Line graph of an ops-on-edges cell (see the module docstring).

    Parameters
    ----------
    num_nodes : int
        Feature maps of the cell; node 0 is the input, ``num_nodes - 1`` the output.
    edges : sequence of (to, from)
        The cell's edges, in the order of ``ops``.
    ops : sequence of int
        Op index of each edge; its graph-node type is ``type_offset + op``.
    zero_op : int, optional
        Op index of the zero operation, whose node gets no arcs.
    type_offset : int
        Types 0 and 1 are the input and output nodes.
    """
    if len(edges) != len(ops):
        raise ValueError(f"{len(edges)} edges but {len(ops)} ops")
    n = len(edges) + 2
    adj = torch.zeros(n, n)
    live = [zero_op is None or int(op) != zero_op for op in ops]
    for a, (to_a, from_a) in enumerate(edges):
        if not live[a]:
            continue
        if from_a == 0:
            adj[0, a + 1] = 1.0
        if to_a == num_nodes - 1:
            adj[a + 1, n - 1] = 1.0
        for b, (_, from_b) in enumerate(edges):
            if live[b] and from_b == to_a:
                adj[a + 1, b + 1] = 1.0
    types = torch.tensor([0, *(type_offset + int(o) for o in ops), 1], dtype=torch.long)
    return CellGraph(adj, types)


def node_dag_graph(adj: Any, ops: Sequence[int], *, type_offset: int = 0) -> CellGraph:
    """An ops-on-nodes cell (e.g. NAS-Bench-101): upper-triangular ``adj`` and node types."""
    a = torch.as_tensor(adj, dtype=torch.float32)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] != len(ops):
        raise ValueError(f"adjacency {tuple(a.shape)} does not match {len(ops)} ops")
    return CellGraph(a.clone(), torch.tensor([type_offset + int(o) for o in ops]))


def nb201_graph(arch: Any) -> CellGraph:
    """The 8-node graph of a NAS-Bench-201 cell (an :class:`NB201Arch`, string or 6 ops)."""
    from ednag_opt.training.archs import parse_nb201

    ops = [NB201_OPS.index(o) for o in parse_nb201(getattr(arch, "ops", arch))]
    return edge_dag_graph(4, NB201_EDGES, ops, zero_op=NB201_OPS.index("none"))


def batch_graphs(graphs: Sequence[CellGraph]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Pad to ``(B, n)``: adjacency ``(B, n, n)``, types ``(B, n)``, real-node mask ``(B, n)``.

    Padding is inserted before each graph's output node, so the output is always last.
    """
    n = max(g.num_nodes for g in graphs)
    if all(g.num_nodes == n for g in graphs):  # common case: one cell size, no padding
        adj = torch.stack([g.adj for g in graphs])
        return adj, torch.stack([g.types for g in graphs]), torch.ones(len(graphs), n, dtype=bool)
    adj = torch.zeros(len(graphs), n, n)
    types = torch.zeros(len(graphs), n, dtype=torch.long)
    mask = torch.zeros(len(graphs), n, dtype=torch.bool)
    for b, g in enumerate(graphs):
        m = g.num_nodes
        pos = torch.cat([torch.arange(m - 1), torch.tensor([n - 1])])  # output node -> last
        adj[b][pos[:, None], pos[None, :]] = g.adj
        types[b, pos] = g.types
        mask[b, pos] = True
    return adj, types, mask


class GraphEncoder(nn.Module):
    """Architecture code ``z_G`` of typed DAGs (see the module docstring).

    Parameters
    ----------
    num_types : int
        Size of the node-type vocabulary (NB201: ``len(NB201_NODE_TYPES)`` = 7).
    dim : int
        Hidden width.
    out_dim : int
        Size of ``z_G``.
    layers : int
        Message-passing rounds (at least the longest input-to-output path, 4 for NB201).
    """

    def __init__(self, num_types: int, dim: int = 64, out_dim: int = 32, layers: int = 4) -> None:
        super().__init__()
        self.embed = nn.Embedding(num_types, dim)
        self.eps = nn.Parameter(torch.zeros(layers))
        self.mlps = nn.ModuleList(
            nn.Sequential(nn.Linear(3 * dim, dim), nn.ReLU(), nn.Linear(dim, dim))
            for _ in range(layers)
        )
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(layers))
        self.out = nn.Linear(2 * dim, out_dim)

    def forward(self, adj: torch.Tensor, types: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """Inputs as from :func:`batch_graphs` -> ``(B, out_dim)``."""
        m = mask.unsqueeze(-1).to(adj.dtype)
        h = self.embed(types) * m
        adj_t = adj.transpose(1, 2)
        for k, (mlp, norm) in enumerate(zip(self.mlps, self.norms)):
            pred = adj_t @ h  # sum over predecessors (arcs i -> j deliver h_i to j)
            succ = adj @ h
            h = norm(h + mlp(torch.cat([(1 + self.eps[k]) * h, pred, succ], dim=-1))) * m
        mean = h.sum(1) / m.sum(1).clamp_min(1.0)
        return self.out(torch.cat([h[:, -1], mean], dim=-1))
