"""Transferable (dataset-aware) accuracy predictor (EDNAG §3.3, Algorithm 2).

``accuracy(arch, task) = head([z_D(task), z_G(arch)])`` where

- ``z_D``: a per-class K-means coreset of the task's training images
  (:mod:`~ednag_opt.fitness.predictors.coreset`), featurised by a fixed random conv net and
  encoded by a set transformer (intra-class then inter-class attention pooling,
  :mod:`~ednag_opt.fitness.predictors.set_encoder`). The coreset is built and encoded once
  per task and the code is cached, so every later query costs one graph-encoder + head pass;
- ``z_G``: a directed GIN over the cell's operation-node graph
  (:mod:`~ednag_opt.fitness.predictors.graph_encoder`);
- ``head``: an MLP over the concatenation.

Meta-training (:meth:`TransferablePredictor.fit`) minimises, over (task, arch, accuracy)
triples of several tasks, the squared error plus a pairwise logistic ranking loss among the
architectures of each task. Each step encodes one of ``augment_coresets`` coresets per task
(K-means seeds ``coreset_seed + r``), so the head cannot latch onto one exact image set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ednag_opt._io import atomic_open
from ednag_opt.fitness._io import load_model_doc
from ednag_opt.fitness.base import FitnessSource
from ednag_opt.fitness.predictors.coreset import FixedFeatureExtractor, TaskCoreset, kmeans_coreset
from ednag_opt.fitness.predictors.graph_encoder import (
    NB201_NODE_TYPES,
    CellGraph,
    GraphEncoder,
    batch_graphs,
    nb201_graph,
)
from ednag_opt.fitness.predictors.meta_table import task_arch_targets
from ednag_opt.fitness.predictors.ofa import resolve_device
from ednag_opt.fitness.predictors.set_encoder import SetEncoder
from ednag_opt.spaces import get_space
from ednag_opt.training.tasks import Task, get_task, list_tasks

__all__ = ["TransferablePredictor", "TransferableFitness"]

_FORMAT = "ednag_opt.TransferablePredictor/1"
#: space name -> (arch -> CellGraph, number of node types)
GRAPH_BUILDERS = {"nas-bench-201": (nb201_graph, len(NB201_NODE_TYPES))}
#: (space, arch string) -> graph, shared by all predictors (graphs do not depend on weights)
_GRAPHS: dict[tuple[str, str], CellGraph] = {}


def _task(task: Task | str) -> Task:
    return get_task(task) if isinstance(task, str) else task


def _task_key(task: Task) -> str:
    """Cache key: the name, plus the split seed when it is not the registered one."""
    registered = task.name in list_tasks(include_unavailable=True) and get_task(task.name) == task
    return task.name if registered else f"{task.name}@{task.seed}/{hash(task)}"


class _Net(nn.Module):
    def __init__(
        self, feat_dim: int, num_types: int, hidden: int, z_dim: int, layers: int, use_dataset: bool
    ) -> None:
        super().__init__()
        self.use_dataset = use_dataset
        self.set_encoder = SetEncoder(feat_dim, hidden, z_dim)
        self.graph_encoder = GraphEncoder(num_types, hidden, z_dim, layers)
        self.head = nn.Sequential(
            nn.Linear(2 * z_dim, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
            nn.Linear(hidden, 1),
        )  # fmt: skip

    def predict(self, z_d: torch.Tensor, z_g: torch.Tensor) -> torch.Tensor:
        """``z_d (P, z)`` or ``(z,)``, ``z_g (P, z)`` -> ``(P,)`` predicted accuracy."""
        if z_d.ndim == 1:
            z_d = z_d.expand(z_g.shape[0], -1)
        if not self.use_dataset:  # ablation: the head sees no dataset information
            z_d = torch.zeros_like(z_d)
        return self.head(torch.cat([z_d, z_g], dim=-1)).squeeze(-1)


class TransferablePredictor:
    """Dataset-aware accuracy predictor for cell architectures (scikit-learn-style).

    Parameters
    ----------
    space : str
        Search space whose cells are encoded (``"nas-bench-201"``).
    per_class : int
        Coreset images per class (K-means centroids).
    coreset_seed : int
        K-means seed of the coreset used for prediction.
    n_init : int
        K-means restarts.
    augment_coresets : int
        Coresets per training task (seeds ``coreset_seed + r``), one drawn per step.
    feature_dim, feature_seed : int
        Output size and weight seed of the fixed feature extractor.
    hidden, z_dim : int
        Width of all encoders / the head, and size of ``z_D`` and ``z_G``.
    graph_layers : int
        Message-passing rounds of the graph encoder.
    epochs : int
        Full-batch Adam steps of :meth:`fit`.
    lr, weight_decay : float
        AdamW learning rate and weight decay.
    rank_weight, rank_scale : float
        Weight of the pairwise logistic ranking loss, and the factor applied to accuracy
        differences inside it (50: a 0.02 gap is one logit).
    code_dropout : float
        Dropout on ``z_D`` during training.
    use_dataset : bool
        ``False`` zeroes ``z_D`` (a dataset-blind ablation with the same architecture).
    target : str
        Table column used as the accuracy (``"val_acc"``).
    seed : int
        Seed of the initial weights and of the training randomness.
    device : str or torch.device, optional
        ``None`` (CPU), ``"auto"`` or a torch device.

    Attributes
    ----------
    tasks_ : list of str
        Tasks seen by :meth:`fit`.
    history_ : list of float
        Training loss per epoch.
    """

    def __init__(
        self,
        space: str = "nas-bench-201",
        *,
        per_class: int = 20,
        coreset_seed: int = 0,
        n_init: int = 4,
        augment_coresets: int = 4,
        feature_dim: int = 64,
        feature_seed: int = 0,
        hidden: int = 48,
        z_dim: int = 16,
        graph_layers: int = 4,
        epochs: int = 300,
        lr: float = 2e-3,
        weight_decay: float = 1e-3,
        rank_weight: float = 0.5,
        rank_scale: float = 50.0,
        code_dropout: float = 0.1,
        use_dataset: bool = True,
        target: str = "val_acc",
        seed: int = 0,
        device: str | torch.device | None = None,
    ) -> None:
        if space not in GRAPH_BUILDERS:
            raise ValueError(f"space {space!r} not supported; choose from {sorted(GRAPH_BUILDERS)}")
        self.params = dict(
            space=space, per_class=per_class, coreset_seed=coreset_seed, n_init=n_init,
            augment_coresets=augment_coresets, feature_dim=feature_dim, feature_seed=feature_seed,
            hidden=hidden, z_dim=z_dim, graph_layers=graph_layers, epochs=epochs, lr=lr,
            weight_decay=weight_decay, rank_weight=rank_weight, rank_scale=rank_scale,
            code_dropout=code_dropout, use_dataset=use_dataset, target=target, seed=seed,
        )  # fmt: skip
        self.device = resolve_device(device)
        self._graph_fn, self._num_types = GRAPH_BUILDERS[space]
        self.extractor = FixedFeatureExtractor(feature_dim, seed=feature_seed)
        self.net = self._new_net()
        self.tasks_: list[str] = []
        self.history_: list[float] = []
        self._codes: dict[str, torch.Tensor] = {}
        self._features: dict[str, tuple[torch.Tensor, np.ndarray]] = {}

    def _new_net(self) -> _Net:
        """The network with the initial weights drawn from ``seed``."""
        p = self.params
        torch.manual_seed(p["seed"])
        net = _Net(p["feature_dim"], self._num_types, p["hidden"], p["z_dim"],
                   p["graph_layers"], p["use_dataset"])  # fmt: skip
        return net.to(self.device)

    def task_features(self, task: Task | str) -> tuple[torch.Tensor, np.ndarray]:
        """Fixed features ``(n, feature_dim)`` and labels of ``task``'s training split."""
        task = _task(task)
        key = _task_key(task)
        if key not in self._features:
            data = task.load()
            self._features[key] = (self.extractor(data.x_train), data.y_train.numpy())
        return self._features[key]

    def coreset(self, task: Task | str, seed: int | None = None) -> TaskCoreset:
        """The per-class K-means coreset of ``task`` (seed default: ``coreset_seed``)."""
        feats, labels = self.task_features(task)
        s = self.params["coreset_seed"] if seed is None else seed
        return kmeans_coreset(
            feats, labels, self.params["per_class"], seed=s, n_init=self.params["n_init"]
        )

    def _graph_batch(self, archs: Sequence[Any]) -> tuple[torch.Tensor, ...]:
        graphs, space = [], self.params["space"]
        for a in archs:
            k = (space, str(a))
            g = _GRAPHS.get(k)
            if g is None:
                g = _GRAPHS[k] = self._graph_fn(a)
            graphs.append(g)
        return tuple(t.to(self.device) for t in batch_graphs(graphs))

    def _archs(self, archs: Any) -> list[Any]:
        if isinstance(archs, torch.Tensor | np.ndarray):
            return list(get_space(self.params["space"]).decode(torch.as_tensor(archs)))
        return list(archs)

    def encode_subset(self, subset: TaskCoreset) -> torch.Tensor:
        """``z_D`` of an explicit image subset (no caching)."""
        self.net.eval()
        with torch.no_grad():
            return self.net.set_encoder(
                subset.features.to(self.device), subset.mask.to(self.device)
            )

    def task_code(self, task: Task | str) -> torch.Tensor:
        """Cached ``z_D`` of ``task`` from its coreset (encoded once per task)."""
        task = _task(task)
        key = _task_key(task)
        if key not in self._codes:
            self._codes[key] = self.encode_subset(self.coreset(task))
        return self._codes[key]

    def predict_codes(self, archs: Any, z_d: torch.Tensor) -> torch.Tensor:
        """Predicted accuracies ``(P,)`` (float64, CPU) of ``archs`` for a dataset code."""
        archs = self._archs(archs)
        if not archs:
            return torch.empty(0, dtype=torch.float64)
        self.net.eval()
        with torch.no_grad():
            z_g = self.net.graph_encoder(*self._graph_batch(archs))
            out = self.net.predict(z_d.to(self.device), z_g)
        return out.to("cpu", torch.float64)

    def predict(self, archs: Any, task: Task | str) -> np.ndarray:
        """Predicted accuracy (fraction) of each architecture on ``task``.

        ``archs``: architecture objects, NB201 strings, or a ``(P, 6, 5)`` encoding.
        """
        return self.predict_codes(archs, self.task_code(task)).numpy()

    def as_fitness(self, task: Task | str) -> TransferableFitness:
        """A :class:`~ednag_opt.fitness.base.FitnessSource` for ``task`` (one forward pass
        per batch; the dataset code is computed here, once)."""
        return TransferableFitness(self, task)

    def fit(self, data: Any, tasks: Iterable[str] | None = None) -> TransferablePredictor:
        """Meta-train on (task, arch, accuracy) data.

        Parameters
        ----------
        data : path, sequence of dict, or sequence of (task, arch, accuracy)
            A meta table (CSV path or rows with ``task``, ``arch`` and the ``target``
            column) or plain triples. Repeated (task, arch) pairs are averaged.
        tasks : iterable of str, optional
            Tasks to train on; default: every task in ``data`` not marked held-out in
            :data:`ednag_opt.training.tasks.HELD_OUT`.

        Returns
        -------
        TransferablePredictor
            ``self``, trained from the seed's initial weights.
        """
        p = self.params
        table = task_arch_targets(data, p["target"], tasks)
        names = list(table)
        self.extractor.set_standardization(None)  # fix the feature statistics on these tasks
        self._features.clear()
        self.extractor.set_standardization(torch.cat([self.task_features(t)[0] for t in names]))
        self._features.clear()
        arch_list = sorted({a for t in names for a in table[t]})
        arch_pos = {a: i for i, a in enumerate(arch_list)}
        cores = [
            [self.coreset(t, p["coreset_seed"] + r) for r in range(max(1, p["augment_coresets"]))]
            for t in names
        ]
        graphs = self._graph_batch(arch_list)
        dev = self.device
        t_idx = torch.tensor([i for i, t in enumerate(names) for _ in table[t]], device=dev)
        a_idx = torch.tensor([arch_pos[a] for t in names for a in table[t]], device=dev)
        y = torch.tensor([v for t in names for v in table[t].values()], device=dev)
        bounds = np.cumsum([0] + [len(table[t]) for t in names])
        blocks = [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:])]
        pair_w = [(y[b, None] > y[None, b]).float() for b in blocks]  # i should beat j
        n_pairs = sum(float(w.sum()) for w in pair_w) or 1.0
        self.net = self._new_net()  # every fit starts from the seed's initial weights
        torch.manual_seed(p["seed"])  # and draws the same dropout masks
        gen = np.random.default_rng(p["seed"])
        opt = torch.optim.AdamW(self.net.parameters(), lr=p["lr"], weight_decay=p["weight_decay"])
        drop = nn.Dropout(p["code_dropout"])
        self.history_ = []
        scale = p["rank_scale"]
        self.net.train()
        for _ in range(p["epochs"]):
            z_d = torch.stack(
                [
                    self.net.set_encoder(c.features.to(dev), c.mask.to(dev))
                    for c in (cs[gen.integers(len(cs))] for cs in cores)
                ]
            )
            z_g = self.net.graph_encoder(*graphs)
            pred = self.net.predict(drop(z_d)[t_idx], z_g[a_idx])
            loss = ((pred - y) ** 2).mean()
            if p["rank_weight"] > 0:  # pairwise logistic loss within each task
                rank = sum(
                    (nn.functional.softplus((pred[b, None] - pred[None, b]) * -scale) * w).sum()
                    for b, w in zip(blocks, pair_w)
                )
                loss = loss + p["rank_weight"] * rank / n_pairs
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            self.history_.append(float(loss.detach()))
        self.net.eval()
        self.tasks_ = names
        self._codes.clear()
        return self

    def save(self, path: str | Path) -> Path:
        """Write parameters, weights and training record (``torch.save``, float32)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        doc = {
            "format": _FORMAT,
            "params": dict(self.params),
            "state_dict": {k: v.detach().cpu() for k, v in self.net.state_dict().items()},
            "feature_stats": [self.extractor.mean.clone(), self.extractor.std.clone()],
            "tasks": list(self.tasks_),
            "history": list(self.history_),
        }
        with atomic_open(path, "wb") as fh:  # an interrupted save keeps the old file
            torch.save(doc, fh)
        return path

    @classmethod
    def load(
        cls, path: str | Path, device: str | torch.device | None = None
    ) -> TransferablePredictor:
        """Rebuild a predictor written by :meth:`save`.

        Raises:
            ValueError: Naming the file, if it is truncated, not a saved predictor, or
                lacks a field.
        """
        doc = load_model_doc(path, _FORMAT, "TransferablePredictor")
        try:
            obj = cls(**doc["params"], device=device)
            obj.net.load_state_dict(doc["state_dict"])
            obj.extractor.mean.copy_(doc["feature_stats"][0])
            obj.extractor.std.copy_(doc["feature_stats"][1])
            obj.tasks_ = list(doc["tasks"])
            obj.history_ = list(doc["history"])
        except (KeyError, IndexError, TypeError, RuntimeError) as exc:
            raise ValueError(
                f"{path}: malformed TransferablePredictor file ({type(exc).__name__}: {exc})"
            ) from None
        obj.net.to(obj.device).eval()
        return obj

    @classmethod
    def pretrained(cls, device: str | torch.device | None = None) -> TransferablePredictor:
        """The meta-trained predictor shipped with the package
        (:func:`ednag_opt.resources.transferable_model_path`; NB201, trained on the bundled
        digits meta-table, see ``docs/results_transferable.md``)."""
        from ednag_opt.resources import transferable_model_path

        return cls.load(transferable_model_path(), device=device)

    def __repr__(self) -> str:
        return f"TransferablePredictor(space={self.params['space']!r}, tasks={self.tasks_})"


class TransferableFitness(FitnessSource):
    """Predicted accuracy on a fixed task (``maximize = True``), one forward pass per batch.

    Build it with :meth:`TransferablePredictor.as_fitness`. Accepts architecture objects,
    strings, or a ``(P, 6, 5)`` encoding; returns a float64 tensor on the CPU.
    """

    maximize = True

    def __init__(self, predictor: TransferablePredictor, task: Task | str) -> None:
        self.predictor = predictor
        self.task = _task(task)
        self.name = f"transferable:{self.task.name}"
        self.code = predictor.task_code(self.task)
        self.n_calls = 0

    def __call__(self, archs: Any) -> torch.Tensor:  # type: ignore[override]
        self.n_calls += 1
        return self.predictor.predict_codes(archs, self.code)
