"""Input checks of :class:`~.evolutionary_ddim.EvolutionaryDDIM` (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import torch

__all__ = ["as_fitness", "check_same_config", "real_tensor", "resolve_shape", "same_bounds"]


def resolve_shape(shape: Sequence[int] | int | None, num_dims: int | None) -> tuple[int, ...]:
    """The solution shape from ``shape`` or ``num_dims`` (exactly one of them).

    Raises:
        ValueError: both or neither given, or a non-positive size.
    """
    if shape is None and num_dims is None:
        raise ValueError("give the solution shape: shape=(...) or num_dims=n")
    if shape is not None and num_dims is not None:
        raise ValueError("give either shape or num_dims, not both")
    if shape is None:
        shape = (num_dims,)
    if isinstance(shape, int):
        shape = (shape,)
    shape = tuple(shape)
    if not shape or not all(isinstance(s, int | np.integer) and s >= 1 for s in shape):
        raise ValueError(f"shape must be a non-empty tuple of positive integers, got {shape!r}")
    return tuple(int(s) for s in shape)


def same_bounds(saved: Any, bounds: tuple[torch.Tensor, torch.Tensor] | None) -> bool:
    """True when saved bounds (a state_dict's) equal the strategy's (or both are None)."""
    if saved is None or bounds is None:
        return saved is None and bounds is None
    return all(torch.equal(a.cpu().to(b.dtype), b.cpu()) for a, b in zip(saved, bounds))


def real_tensor(values: Any, what: str = "fitness") -> torch.Tensor:
    """``values`` (tensor, array, list) as a tensor of real numbers (any shape, detached).

    Raises:
        TypeError: non-numeric, complex or boolean values.
    """
    if isinstance(values, torch.Tensor):
        f = values.detach()
    else:
        try:
            f = torch.as_tensor(np.asarray(values, dtype=np.float64))
        except (TypeError, ValueError) as exc:
            raise TypeError(f"{what} must be numeric, got {type(values).__name__}") from exc
    if f.is_complex() or f.dtype == torch.bool:
        raise TypeError(f"{what} must be real numbers, got dtype {f.dtype}")
    return f


def as_fitness(
    fitness: Any, popsize: int, device: torch.device, what: str = "fitness"
) -> torch.Tensor:
    """``popsize`` real values (tensor, array, list; (N, 1) allowed) as a float64 tensor.

    Raises:
        TypeError: non-numeric, complex or boolean values.
        ValueError: a shape other than (popsize,) or (popsize, 1).
    """
    f = real_tensor(fitness, what).to(device=device, dtype=torch.float64)
    if f.ndim == 2 and f.shape[1] == 1:
        f = f[:, 0]
    if f.ndim != 1 or f.shape[0] != popsize:
        raise ValueError(
            f"{what} must have shape ({popsize},) for popsize={popsize}, got {tuple(f.shape)}"
        )
    return f


def check_same_config(
    saved: dict[str, Any], mine: dict[str, Any], new_options: dict[str, Any]
) -> None:
    """Raise unless a saved configuration equals this one.

    Args:
        saved: the configuration stored with a state dict.
        mine: the current strategy's configuration.
        new_options: options added after state dicts were first saved, with the value
            older runs had (a saved configuration without them gets these values).

    Raises:
        ValueError: naming each option whose saved and current values differ.
    """
    full = {**new_options, **saved}
    mismatched = {k for k in set(mine) | set(full) if full.get(k) != mine.get(k)}
    if mismatched:
        diff = ", ".join(f"{k}: {saved.get(k)!r} != {mine.get(k)!r}" for k in sorted(mismatched))
        raise ValueError(f"state_dict was taken under another configuration ({diff})")
