"""The BBOB suite (COCO's ``bbob``, 24 noiseless functions) as batched problems.

Needs the ``coco-experiment`` package (module ``cocoex``; the ``bench`` extra). A
:class:`BBOBProblem` evaluates a batch ``(N, d)`` through ``cocoex`` and knows its optimum
value ``f_opt``, so ``error = f - f_opt`` is the precision COCO's targets (1e2 .. 1e-8)
refer to. The optimiser is never told ``f_opt``: only the benchmark's bookkeeping uses it.

>>> p = get_bbob_problem(1, 2, 1)     # sphere, d = 2, instance 1
>>> float(p.error(p.x_opt[None])[0]) == 0.0
True
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["BBOB_FUNCTIONS", "BBOB_GROUPS", "BBOBProblem", "get_bbob_problem"]

#: COCO's function groups (separable, moderate, ill-conditioned, multimodal, weak structure).
BBOB_GROUPS: dict[str, tuple[int, ...]] = {
    "separable": (1, 2, 3, 4, 5),
    "moderate": (6, 7, 8, 9),
    "ill-conditioned": (10, 11, 12, 13, 14),
    "multimodal": (15, 16, 17, 18, 19),
    "weak-structure": (20, 21, 22, 23, 24),
}
BBOB_FUNCTIONS: tuple[int, ...] = tuple(range(1, 25))


@dataclass
class BBOBProblem:
    """One BBOB problem: function ``fid`` in ``dim`` dimensions, instance ``instance``.

    Attributes:
        fid, dim, instance: the triple naming it.
        x_opt: (d,) location of the optimum; f_opt: its value.
        bounds: ``(-5, 5)``, COCO's region of interest (the functions are defined everywhere).
    """

    fid: int
    dim: int
    instance: int
    problem: Any
    x_opt: np.ndarray
    f_opt: float
    bounds: tuple[float, float] = (-5.0, 5.0)

    def __call__(self, x: Any) -> np.ndarray:
        """Objective values of the rows of ``x`` ((N, d) or (d,)), float64."""
        arr = np.asarray(x, dtype=np.float64)
        rows = arr.reshape(-1, self.dim)
        out = np.fromiter((self.problem(r) for r in rows), dtype=np.float64, count=len(rows))
        return out if arr.ndim > 1 else out[:1].copy().reshape(())

    def error(self, x: Any) -> np.ndarray:
        """``f(x) - f_opt`` for the rows of ``x``."""
        return self(x) - self.f_opt

    @property
    def name(self) -> str:
        """COCO's name, e.g. ``bbob_f010_i01_d10``."""
        return f"bbob_f{self.fid:03d}_i{self.instance:02d}_d{self.dim:02d}"


def get_bbob_problem(fid: int, dim: int, instance: int) -> BBOBProblem:
    """Build BBOB function ``fid`` (1-24) in ``dim`` (2, 3, 5, 10, 20, 40) dims, instance >= 1.

    Raises:
        ImportError: ``cocoex`` is not installed.
        ValueError: an unknown function, dimension or instance.
    """
    try:
        import cocoex
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("BBOB needs coco-experiment: pip install 'ednag-opt[bench]'") from exc
    if fid not in BBOB_FUNCTIONS:
        raise ValueError(f"BBOB function ids are 1..24, got {fid!r}")
    if dim not in (2, 3, 5, 10, 20, 40) or not isinstance(instance, int) or instance < 1:
        raise ValueError(f"need dim in (2, 3, 5, 10, 20, 40) and instance >= 1, got {dim}, "
                         f"{instance}")  # fmt: skip
    suite = cocoex.Suite("bbob", f"instances: {instance}",
                         f"function_indices: {fid} dimensions: {dim}")  # fmt: skip
    problem = next(iter(suite))
    x_opt = _best_parameter(problem)
    return BBOBProblem(fid, dim, instance, problem, x_opt, float(problem(x_opt)))


def _best_parameter(problem: Any) -> np.ndarray:
    """COCO writes the optimum's location to a file in the working directory; read it there."""
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        os.chdir(tmp)
        try:
            problem._best_parameter("print")
            return np.loadtxt(os.path.join(tmp, "._bbob_problem_best_parameter.txt"))
        finally:
            os.chdir(here)
