"""Vectorised torch test functions for black-box optimisation (all minimised).

Each problem is a callable on a batch ``x`` of shape ``(N, d)`` (or ``(N, *shape)``,
flattened) returning ``(N,)`` values, with its search ``bounds``, the known optimum value
``optimum`` and location ``optimum_x``. An optional ``shift`` moves the optimum away from
its textbook location (most lie at the centre of the box, which favours methods that
average, such as diffusion evolution).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import torch

from .._threads import few_threads

__all__ = ["ToyProblem", "get_problem", "list_problems", "PROBLEMS"]


def _sphere(x: torch.Tensor) -> torch.Tensor:
    return (x * x).sum(dim=1)


def _rastrigin(x: torch.Tensor) -> torch.Tensor:
    return 10.0 * x.shape[1] + (x * x - 10.0 * torch.cos(2 * math.pi * x)).sum(dim=1)


def _ackley(x: torch.Tensor) -> torch.Tensor:
    a = -20.0 * torch.exp(-0.2 * torch.sqrt((x * x).mean(dim=1)))
    return a - torch.exp(torch.cos(2 * math.pi * x).mean(dim=1)) + 20.0 + math.e


def _rosenbrock(x: torch.Tensor) -> torch.Tensor:
    return (100.0 * (x[:, 1:] - x[:, :-1] ** 2) ** 2 + (1.0 - x[:, :-1]) ** 2).sum(dim=1)


def _griewank(x: torch.Tensor) -> torch.Tensor:
    i = torch.arange(1, x.shape[1] + 1, dtype=x.dtype, device=x.device)
    return 1.0 + (x * x).sum(dim=1) / 4000.0 - torch.cos(x / i.sqrt()).prod(dim=1)


def _schwefel(x: torch.Tensor) -> torch.Tensor:
    return 418.9828872724338 * x.shape[1] - (x * torch.sin(x.abs().sqrt())).sum(dim=1)


def _levy(x: torch.Tensor) -> torch.Tensor:
    w = 1.0 + (x - 1.0) / 4.0
    head = torch.sin(math.pi * w[:, 0]) ** 2
    mid = ((w[:, :-1] - 1) ** 2 * (1 + 10 * torch.sin(math.pi * w[:, :-1] + 1) ** 2)).sum(dim=1)
    tail = (w[:, -1] - 1) ** 2 * (1 + torch.sin(2 * math.pi * w[:, -1]) ** 2)
    return head + mid + tail


def _styblinski_tang(x: torch.Tensor) -> torch.Tensor:
    return 0.5 * (x**4 - 16.0 * x**2 + 5.0 * x).sum(dim=1)


_ST_X = -2.903534027771177
# name: (function, (lower, upper), optimum value per dimension d, optimum coordinate)
PROBLEMS: dict[str, tuple[Callable, tuple[float, float], Callable[[int], float], float]] = {
    "sphere": (_sphere, (-5.12, 5.12), lambda d: 0.0, 0.0),
    "rastrigin": (_rastrigin, (-5.12, 5.12), lambda d: 0.0, 0.0),
    "ackley": (_ackley, (-32.768, 32.768), lambda d: 0.0, 0.0),
    "rosenbrock": (_rosenbrock, (-5.0, 10.0), lambda d: 0.0, 1.0),
    "griewank": (_griewank, (-600.0, 600.0), lambda d: 0.0, 0.0),
    "schwefel": (_schwefel, (-500.0, 500.0), lambda d: 0.0, 420.9687462275036),
    "levy": (_levy, (-10.0, 10.0), lambda d: 0.0, 1.0),
    "styblinski-tang": (_styblinski_tang, (-5.0, 5.0), lambda d: -39.16616570377142 * d, _ST_X),
}


@dataclass(frozen=True)
class ToyProblem:
    """A minimisation test function in ``dim`` dimensions.

    Attributes:
        name: registry name.
        dim: number of variables d.
        shift: optional offset added to the optimum location (length d or scalar).
    """

    name: str
    dim: int
    shift: torch.Tensor | None = None
    maximize: bool = False

    def __post_init__(self) -> None:
        if self.name not in PROBLEMS:
            raise ValueError(f"unknown problem {self.name!r}; choose one of {list_problems()}")
        if not isinstance(self.dim, int) or self.dim < (2 if self.name == "rosenbrock" else 1):
            raise ValueError(f"dim must be an integer >= 1 (>= 2 for rosenbrock), got {self.dim}")

    @property
    def bounds(self) -> tuple[float, float]:
        """Box ``(lower, upper)``, the same for every coordinate."""
        return PROBLEMS[self.name][1]

    @property
    def optimum(self) -> float:
        """Known global minimum value."""
        return PROBLEMS[self.name][2](self.dim)

    @property
    def optimum_x(self) -> torch.Tensor:
        """Location of the global minimum (float64)."""
        x = torch.full((self.dim,), PROBLEMS[self.name][3], dtype=torch.float64)
        return x if self.shift is None else x + torch.as_tensor(self.shift, dtype=torch.float64)

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        x = torch.as_tensor(x)
        with few_threads(x.numel(), x.device):  # small batches: one thread is fastest
            return self._evaluate(x)

    def _evaluate(self, x: torch.Tensor) -> torch.Tensor:
        if not x.is_floating_point():
            x = x.to(torch.float64)
        flat = x.reshape(x.shape[0], -1) if x.ndim > 1 else x.reshape(1, -1)
        if flat.shape[1] != self.dim:
            raise ValueError(f"{self.name}: expected {self.dim} variables, got {flat.shape[1]}")
        if self.shift is not None:
            flat = flat - torch.as_tensor(self.shift, dtype=flat.dtype, device=flat.device)
        out = PROBLEMS[self.name][0](flat)
        return out if x.ndim > 1 else out[0]

    def error(self, value: float) -> float:
        """Distance of a value to the optimum, ``value - optimum``."""
        return float(value) - self.optimum


def list_problems() -> list[str]:
    """Names of the built-in test functions."""
    return sorted(PROBLEMS)


def get_problem(name: str, dim: int, shift: torch.Tensor | float | None = None) -> ToyProblem:
    """Build a test function by name (see ``list_problems()``)."""
    if shift is not None:
        shift = torch.as_tensor(shift, dtype=torch.float64).expand(dim).clone()
    return ToyProblem(name, dim, shift)
