"""Fitness sources of the command line: tables, the OFA predictor, or a user's function.

Each builder returns ``(fitness, test_reporter_or_None)``; every problem raises
``CLIError`` with a one-line message before any search starts.
"""

from __future__ import annotations

import argparse
import importlib
import math
from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["CLIError", "build_fitness"]

TABLE_SPACES = ("nas-bench-201", "transnas-micro", "transnas-macro")


class CLIError(Exception):
    """A user error: printed as one line on stderr, exit code 2."""


def build_fitness(args: argparse.Namespace, space: Any) -> tuple[Any, Callable | None]:
    """The search fitness for ``args`` and, where a test table exists, a test reporter."""
    name = space.name
    _check_flags(args, name)
    if args.fitness:
        return _user_fitness(args.fitness, args), None
    if name == "nas-bench-201":
        return _nb201(args)
    if name in ("transnas-micro", "transnas-macro"):
        return _transnas(args, name.split("-")[1]), None
    if name == "mobilenetv3":
        return _ofa(args), None
    raise CLIError(
        f"no built-in fitness for {name!r} (built-in: {', '.join(TABLE_SPACES)}, mobilenetv3); "
        "give your own with --fitness module:function"
    )


def _check_flags(args: argparse.Namespace, name: str) -> None:
    """Options that do not apply to this space are errors, not silently ignored."""
    given = {
        "--dataset": args.dataset, "--task": args.task, "--table": args.table,
        "--test-table": args.test_table, "--max-latency-ms": args.max_latency_ms,
        "--metric": args.metric,
    }  # fmt: skip
    allowed = {
        "nas-bench-201": {"--dataset", "--table", "--test-table", "--metric"},
        "transnas-micro": {"--task", "--table", "--metric"},
        "transnas-macro": {"--task", "--table", "--metric"},
        "mobilenetv3": {"--max-latency-ms"},
    }.get(name, set())
    if args.fitness:
        allowed = set()
    wrong = [flag for flag, v in given.items() if v is not None and flag not in allowed]
    if wrong:
        what = "with --fitness" if args.fitness else f"with --space {name}"
        raise CLIError(f"{', '.join(wrong)} cannot be used {what}")


def _nb201(args: argparse.Namespace) -> tuple[Any, Callable | None]:
    from ..fitness import NB201Fitness

    fit = NB201Fitness(args.dataset or "cifar10", metric=args.metric or "val",
                       source=args.table or "auto")  # fmt: skip
    _require_values(fit, f"metric {fit.metric!r} of the NAS-Bench-201 table")
    test = None
    if args.test_table:
        test = NB201Fitness(args.dataset or "cifar10", metric="test", source=args.test_table)
    elif "test" in fit.table.columns:
        test = fit
    return fit, (None if test is None else test.test_accuracy)


def _transnas(args: argparse.Namespace, kind: str) -> Any:
    from ..fitness import TransNASFitness

    fit = TransNASFitness(args.task or "class_scene", space=kind, metric=args.metric or "valid",
                          source=args.table or "auto")  # fmt: skip
    _require_values(fit, f"metric {args.metric or 'valid'!r} of task {args.task or 'class_scene'}")
    return fit


def _ofa(args: argparse.Namespace) -> Any:
    from ..fitness.predictors import OFAAccuracyPredictor

    acc = OFAAccuracyPredictor()
    if args.max_latency_ms is None:
        return acc
    from ..fitness.predictors.ofa_latency import LatencyConstrained, OFALatency

    return LatencyConstrained(acc, OFALatency(), args.max_latency_ms)


def _user_fitness(spec: str, args: argparse.Namespace) -> Any:
    """``module:function`` (the module importable, e.g. from the current folder)."""
    module, sep, attr = spec.partition(":")
    if not sep or not module or not attr:
        raise CLIError(f"--fitness must be module:function, got {spec!r}")
    import sys

    if "" not in sys.path:
        sys.path.insert(0, "")  # a module in the current folder, as `python -m` would
    try:
        fn = getattr(importlib.import_module(module), attr)
    except ImportError as exc:
        raise CLIError(f"--fitness: cannot import {module!r}: {exc}") from None
    except AttributeError:
        raise CLIError(f"--fitness: module {module!r} has no {attr!r}") from None
    if not callable(fn):
        raise CLIError(f"--fitness: {spec} is not callable")
    from ..fitness import as_fitness

    declared = getattr(fn, "maximize", None)
    if args.direction is None and declared is None:
        raise CLIError(f"--fitness {spec}: give --maximize or --minimize (no direction declared)")
    return as_fitness(fn, maximize=declared if args.direction is None else args.direction,
                      name=spec)  # fmt: skip


def _require_values(fit: Any, what: str) -> None:
    """Refuse a table whose searched column holds no finite value (checked before the run)."""
    col = fit.table.columns.get(fit.metric) if hasattr(fit, "table") else None
    if col is None:
        return
    if not bool(np.isfinite(np.asarray(col, dtype=np.float64)).any()):
        raise CLIError(f"{what} has no finite value: nothing to search")


def check_positive(name: str, v: int | None, low: int) -> None:
    """``--popsize 0`` and friends are errors, not "use the default"."""
    if v is not None and v < low:
        raise CLIError(f"{name} must be >= {low}, got {v}")


def check_budget(v: float | None) -> None:
    if v is not None and not (math.isfinite(v) and v > 0):
        raise CLIError(f"--max-latency-ms must be a positive number, got {v}")
