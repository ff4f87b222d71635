"""The fitness-source interface and the wrapper that turns plain callables into one.

A fitness source maps a batch of architectures to a 1-D ``torch.float64`` tensor with one
value per architecture. Architectures are any objects whose ``str()`` is the benchmark's own
architecture string (plain strings work too). Whether larger is better is declared by the
attribute ``maximize``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import torch

__all__ = ["FitnessSource", "FunctionFitness", "as_fitness", "arch_key", "to_fitness_tensor"]


def arch_key(arch: Any) -> str:
    """The canonical cache key of an architecture, the one every cache and searcher uses.

    A string is its own key; an architecture with a string attribute ``key`` (e.g. the
    isomorphism-invariant hash of a NAS-Bench-101 cell) uses it, so equivalent
    architectures share one evaluation; anything else is keyed by ``str(arch)``.
    """
    if type(arch) is str:
        return arch
    key = getattr(arch, "key", None)
    return key if isinstance(key, str) else str(arch)


def to_fitness_tensor(values: Any, n: int, *, who: str = "fitness") -> torch.Tensor:
    """Validate the output of a fitness evaluation and convert it to a float64 tensor.

    Parameters
    ----------
    values : list, tuple, numpy.ndarray or torch.Tensor
        One real number per architecture. NaN marks a failed evaluation; ``None`` entries
        of a list are read as NaN.
    n : int
        Number of architectures that were evaluated.
    who : str
        Name used in error messages.

    Returns
    -------
    torch.Tensor
        Shape ``(n,)``, dtype ``torch.float64``, on the CPU.

    Raises
    ------
    TypeError
        If ``values`` is not a sequence/array of real numbers.
    ValueError
        If it does not hold exactly ``n`` values in one dimension.
    """
    if isinstance(values, torch.Tensor):
        if values.dtype.is_complex or values.dtype == torch.bool:
            raise TypeError(f"{who} returned a {values.dtype} tensor; expected real values")
        out = values.detach().to(device="cpu", dtype=torch.float64)
    elif isinstance(values, np.ndarray | list | tuple):
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"{who} must return real numbers; got {type(values).__name__} that numpy "
                f"cannot convert to float64 ({exc})"
            ) from None
        out = torch.from_numpy(np.array(arr, dtype=np.float64, copy=True))
    else:
        raise TypeError(
            f"{who} must return a list, tuple, numpy array or torch tensor of {n} values; "
            f"got {type(values).__name__}"
        )
    if out.dim() == 2 and 1 in out.shape:
        out = out.reshape(-1)
    if out.dim() != 1 or out.shape[0] != n:
        raise ValueError(
            f"{who} returned shape {tuple(out.shape)} for {n} architectures; expected ({n},)"
        )
    return out


class FitnessSource(ABC):
    """Base class of every fitness source.

    Subclasses implement :meth:`__call__`. They may publish extra metrics through
    :attr:`metrics` (name -> whether larger is better) and :meth:`query`.

    Attributes
    ----------
    name : str
        Short identifier used in logs, caches and saved results.
    maximize : bool
        ``True`` if larger values are better.
    metrics : Mapping[str, bool]
        Extra metrics that :meth:`query` accepts, each with its direction
        (``True`` = larger is better). Empty by default.
    """

    name: str = "fitness"
    maximize: bool = True
    metrics: Mapping[str, bool] = {}

    @abstractmethod
    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        """Evaluate a batch.

        Parameters
        ----------
        archs : sequence
            Architectures (objects with the benchmark string as ``str()``, or strings).

        Returns
        -------
        torch.Tensor
            Shape ``(len(archs),)``, dtype ``torch.float64``.
        """

    def query(self, archs: Sequence[Any], metric: str | None = None) -> torch.Tensor:
        """Look up ``metric`` (one of :attr:`metrics`) for a batch; ``None`` is the fitness."""
        if metric is None:
            return self(archs)
        raise KeyError(
            f"{self.name!r} has no metric {metric!r}; available: {sorted(self.metrics) or 'none'}"
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r}, maximize={self.maximize})"


class FunctionFitness(FitnessSource):
    """A plain Python callable seen as a :class:`FitnessSource`. Build it with :func:`as_fitness`.

    Parameters
    ----------
    fn : callable
        ``fn(list_of_archs) -> values`` when ``batched``; ``fn(arch) -> float`` otherwise.
    maximize : bool
        Whether larger values are better.
    name : str, optional
        Defaults to the callable's ``__name__``.
    batched : bool
        Whether ``fn`` takes the whole batch (default) or one architecture at a time.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        maximize: bool = True,
        name: str | None = None,
        batched: bool = True,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"fitness must be callable; got {type(fn).__name__}")
        self.fn = fn
        self.maximize = bool(maximize)
        self.name = name or getattr(fn, "__name__", type(fn).__name__)
        self.batched = bool(batched)

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        archs = list(archs)
        who = f"fitness function {self.name!r}"
        if self.batched:
            return to_fitness_tensor(self.fn(archs), len(archs), who=who)
        vals = [_scalar(self.fn(a), who) for a in archs]
        return torch.tensor(vals, dtype=torch.float64)


def as_fitness(
    obj: Any,
    *,
    maximize: bool | None = None,
    name: str | None = None,
    batched: bool = True,
) -> FitnessSource:
    """Return ``obj`` as a :class:`FitnessSource`.

    Parameters
    ----------
    obj : FitnessSource or callable
        A source (returned unchanged) or a callable taking a list of architectures and
        returning a list, numpy array or tensor with one real value each.
    maximize : bool, optional
        Direction of a wrapped callable. Defaults to ``obj.maximize`` if the callable has
        that attribute, else ``True``. For a ``FitnessSource`` it must agree with its
        declared direction.
    name : str, optional
        Name of a wrapped callable (default: its ``name`` attribute, else ``__name__``).
    batched : bool
        ``False`` if the callable scores one architecture per call.

    Raises
    ------
    TypeError
        If ``obj`` is not callable.
    ValueError
        If ``maximize`` contradicts the direction a source declares.
    """
    if isinstance(obj, FitnessSource):
        if maximize is not None and bool(maximize) != obj.maximize:
            raise ValueError(
                f"{obj.name!r} declares maximize={obj.maximize}; cannot wrap it with "
                f"maximize={maximize}"
            )
        return obj
    if not callable(obj):
        raise TypeError(
            f"expected a FitnessSource or a callable of a list of architectures; "
            f"got {type(obj).__name__}"
        )
    if maximize is None:
        maximize = bool(getattr(obj, "maximize", True))
    if name is None and isinstance(getattr(obj, "name", None), str):
        name = obj.name
    return FunctionFitness(obj, maximize=maximize, name=name, batched=batched)


def _scalar(v: Any, who: str) -> float:
    """One real number out of a per-architecture result."""
    if isinstance(v, torch.Tensor) and v.numel() == 1 or isinstance(v, np.ndarray) and v.size == 1:
        v = v.item()
    if isinstance(v, bool) or not isinstance(v, int | float | np.integer | np.floating):
        raise TypeError(f"{who} must return one real number per architecture; got {v!r}")
    return float(v)
