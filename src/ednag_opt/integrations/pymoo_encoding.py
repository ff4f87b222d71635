"""The encoding of pymoo decision variables as a latent box, beside the pymoo adapter.

``VariableEncoding`` is the bridge between pymoo's variable types and the continuous space
of ``EvolutionaryDDIM``. Each variable owns one or more coordinates of a box
``[lower, upper]`` (the strategy's ``bounds``):

========== ============ ======================================== =============================
variable   coordinates  box                                      decoded value
========== ============ ======================================== =============================
Real       1            ``[lb, ub]``                             the coordinate
Integer    1            ``[lb - 0.5, ub + 0.5]``                 nearest integer, within bounds
Binary     1            ``[0, 1]``                               ``coordinate > 0.5``
Choice(k)  k            ``[-1, 1]`` each (one-hot idea)          option at the argmax
========== ============ ======================================== =============================

Every integer owns an equally wide cell and every option of a choice an equal share of
the box, so a uniformly spread population samples the decoded values evenly.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from pymoo.core.individual import Individual
from pymoo.core.problem import Problem
from pymoo.core.variable import Binary, Choice, Integer, Real, Variable

__all__ = ["VariableEncoding", "copy_evaluation", "option_index"]


class VariableEncoding:
    """Continuous encoding of pymoo decision variables (see the module table).

    Args:
        variables: pymoo's mixed variables ``{name: Real | Integer | Binary | Choice}``;
            decoded solutions are then dicts, as pymoo's mixed-variable problems expect.
        xl, xu: bounds of a plain vector problem (used when ``variables`` is None).
        vtype: ``float`` (default), ``int`` or ``bool`` for a plain vector problem.
    """

    def __init__(
        self,
        variables: Mapping[str, Variable] | None = None,
        xl: Any = None,
        xu: Any = None,
        vtype: type | None = None,
    ) -> None:
        self.mixed = variables is not None
        if variables is None:
            if xl is None or xu is None:
                raise ValueError("EDNAG needs a bounded problem: give xl and xu (or vars)")
            xl, xu = np.atleast_1d(np.asarray(xl, float)), np.atleast_1d(np.asarray(xu, float))
            kind = {int: Integer, bool: Binary}.get(vtype, Real)
            variables = {
                i: kind(bounds=(lo, hi)) for i, (lo, hi) in enumerate(zip(xl, xu, strict=True))
            }
        self.names: list[Hashable] = list(variables)
        self.kinds: list[str] = []
        self.options: list[list[Any] | None] = []
        self.columns: list[slice] = []
        lower: list[float] = []
        upper: list[float] = []
        for name, var in variables.items():
            start = len(lower)
            if isinstance(var, Choice):
                options = list(var.options)
                if not options:
                    raise ValueError(f"choice variable {name!r} has no options")
                lower += [-1.0] * len(options)
                upper += [1.0] * len(options)
                self.kinds.append("choice")
                self.options.append(options)
            else:
                if type(var) not in (Real, Integer, Binary):
                    raise TypeError(f"variable {name!r}: unsupported type {type(var).__name__}")
                kind = {Integer: "int", Binary: "bool"}.get(type(var), "real")
                if kind == "bool":
                    lo, hi = 0.0, 1.0
                else:
                    lo, hi = _finite_bounds(name, var)
                if kind == "int":
                    lo, hi = float(np.ceil(lo)) - 0.5, float(np.floor(hi)) + 0.5
                if not hi > lo:
                    raise ValueError(f"variable {name!r}: upper bound must exceed lower bound")
                lower.append(lo)
                upper.append(hi)
                self.kinds.append(kind)
                self.options.append(None)
            self.columns.append(slice(start, len(lower)))
        self.lower = np.asarray(lower, dtype=np.float64)
        self.upper = np.asarray(upper, dtype=np.float64)
        self.vtype = vtype if not self.mixed else object

    @classmethod
    def from_problem(cls, problem: Problem) -> VariableEncoding:
        """Encoding of a pymoo problem: its ``vars`` if any, else ``xl``, ``xu``, ``vtype``."""
        variables = getattr(problem, "vars", None)
        if variables is not None:
            return cls(variables)
        xl, xu = problem.bounds()
        if xl is None or xu is None or not (np.all(np.isfinite(xl)) and np.all(np.isfinite(xu))):
            raise ValueError(
                f"EDNAG needs finite bounds on every variable; {type(problem).__name__} has "
                f"xl={xl}, xu={xu}"
            )
        return cls(None, xl, xu, problem.vtype)

    @property
    def dim(self) -> int:
        """Number of latent coordinates D."""
        return int(self.lower.size)

    @property
    def discrete(self) -> bool:
        """True when some variable is an Integer, Binary or Choice."""
        return any(k != "real" for k in self.kinds)

    @property
    def size(self) -> int | None:
        """Number of distinct decoded solutions when every variable is discrete, else None."""
        if "real" in self.kinds:
            return None
        n = 1
        for kind, col, opts in zip(self.kinds, self.columns, self.options, strict=True):
            if kind == "choice":
                n *= len(opts)
            elif kind == "bool":
                n *= 2
            else:
                n *= int(round(self.upper[col][0] - self.lower[col][0]))
        return n

    def decode(self, u: Any) -> np.ndarray | list[dict[Hashable, Any]]:
        """Map points of the box, shape (N, D), to N solutions.

        Returns:
            A list of dicts for mixed variables, else an (N, n_var) array.
        """
        u = np.asarray(u.detach().cpu() if isinstance(u, torch.Tensor) else u, dtype=np.float64)
        if u.ndim != 2 or u.shape[1] != self.dim:
            raise ValueError(f"expected points of shape (N, {self.dim}), got {u.shape}")
        if not self.mixed and not self.discrete:  # all real: one vectorised clip
            return np.clip(u, self.lower, self.upper)
        cols = [self._decode_column(u, k, c, o) for k, c, o in self._items()]
        if self.mixed:
            return [
                dict(zip(self.names, row, strict=True))
                for row in zip(*(c.tolist() for c in cols), strict=True)
            ]
        x = np.stack(cols, axis=1)
        return x.astype(self.vtype) if self.vtype in (int, bool) else x.astype(np.float64)

    def encode(self, x: Sequence[Mapping[Hashable, Any]] | np.ndarray) -> np.ndarray:
        """A point of the box for each solution (inverse of ``decode`` on decoded values).

        Choices encode as +1 on the chosen coordinate and -1 elsewhere.
        """
        rows = list(x) if self.mixed else np.atleast_2d(np.asarray(x, dtype=np.float64))
        u = np.empty((len(rows), self.dim), dtype=np.float64)
        for (kind, col, opts), name in zip(self._items(), self.names, strict=True):
            vals = [r[name] for r in rows] if self.mixed else list(rows[:, name])
            if kind == "choice":
                u[:, col] = -1.0
                for i, v in enumerate(vals):
                    u[i, col.start + option_index(opts, v)] = 1.0
            elif kind == "bool":
                u[:, col.start] = np.where(np.asarray(vals, dtype=bool), 0.75, 0.25)
            else:
                u[:, col.start] = np.asarray(vals, dtype=np.float64)
        return u

    def keys(self, x: Sequence[Mapping[Hashable, Any]] | np.ndarray) -> list[tuple]:
        """Hashable identity of each decoded solution (equal keys = same solution)."""
        if self.mixed:
            return [tuple(_plain(r[n]) for n in self.names) for r in x]
        return [tuple(row) for row in np.asarray(x).tolist()]

    def _items(self) -> list[tuple[str, slice, list | None]]:
        return list(zip(self.kinds, self.columns, self.options, strict=True))

    def _decode_column(self, u: np.ndarray, kind: str, col: slice, opts: list | None) -> np.ndarray:
        v = u[:, col]
        if kind == "choice":
            out = np.empty(len(v), dtype=object)
            out[:] = [opts[i] for i in np.argmax(v, axis=1)]
            return out
        lo, hi, v = self.lower[col.start], self.upper[col.start], v[:, 0]
        if kind == "bool":
            return v > 0.5
        if kind == "int":
            return np.clip(np.floor(v + 0.5), lo + 0.5, hi - 0.5).astype(np.int64)
        return np.clip(v, lo, hi)


def _finite_bounds(name: Hashable, var: Variable) -> tuple[float, float]:
    lo, hi = getattr(var, "bounds", (None, None))
    if lo is None or hi is None or not (np.isfinite(lo) and np.isfinite(hi)):
        raise ValueError(f"variable {name!r} needs finite bounds, got {(lo, hi)}")
    return float(lo), float(hi)


def option_index(options: list, value: Any) -> int:
    for i, o in enumerate(options):
        if o == value or (isinstance(o, float) and np.isclose(o, value)):
            return i
    raise ValueError(f"{value!r} is not one of the options {options}")


def _plain(v: Any) -> Any:
    return v.item() if isinstance(v, np.generic) else v


def copy_evaluation(src: Individual, dst: Individual) -> None:
    """Give ``dst`` the objectives, constraints and evaluated set of ``src`` (copies)."""
    for key in ("F", "G", "H"):
        dst.set(key, None if (v := src.get(key)) is None else np.array(v, copy=True))
    dst.evaluated = set(src.evaluated or ())
