"""pymoo views of the package's toy problems (the variable encoding lives beside the pymoo
adapter, in ``integrations.pymoo_encoding``; it is re-exported here)."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
from pymoo.core.problem import Problem

from ..integrations.pymoo_encoding import VariableEncoding
from .toy import ToyProblem, get_problem

__all__ = ["VariableEncoding", "ToyPymooProblem", "as_pymoo_problem"]

class ToyPymooProblem(Problem):
    """A ``ToyProblem`` as a vectorised single-objective pymoo problem.

    Args:
        toy: the test function (``problems.get_problem(name, dim)``).
    """

    def __init__(self, toy: ToyProblem) -> None:
        lo, hi = toy.bounds
        super().__init__(n_var=toy.dim, n_obj=1, xl=lo, xu=hi, vtype=float)
        self.toy = toy

    def _evaluate(self, x: np.ndarray, out: dict, *args: Any, **kwargs: Any) -> None:
        f = self.toy(torch.as_tensor(np.asarray(x, dtype=np.float64)))
        out["F"] = f.numpy().reshape(-1, 1)

    def _calc_pareto_front(self, *args: Any, **kwargs: Any) -> np.ndarray:
        return np.array([[self.toy.optimum]])

    def _calc_pareto_set(self, *args: Any, **kwargs: Any) -> np.ndarray:
        return self.toy.optimum_x.numpy().reshape(1, -1)

    def name(self) -> str:
        return f"{self.toy.name}-{self.toy.dim}d"


def as_pymoo_problem(problem: ToyProblem | str | Any, dim: int | None = None) -> Problem:
    """A pymoo ``Problem`` for a toy function, a toy name (with ``dim``) or an HPO problem.

    Args:
        problem: a ``ToyProblem``, a toy name from ``list_problems()``, or an object with
            an ``as_pymoo()`` method (the tabular HPO problems of ``problems.hpo``).
        dim: number of variables when ``problem`` is a name.
    """
    if isinstance(problem, str):
        if dim is None:
            raise ValueError("give dim= when naming a toy problem")
        problem = get_problem(problem, dim)
    if isinstance(problem, ToyProblem):
        return ToyPymooProblem(problem)
    if hasattr(problem, "as_pymoo"):
        return problem.as_pymoo()
    raise TypeError(f"cannot turn a {type(problem).__name__} into a pymoo problem")
