"""HW-NAS-Bench hardware costs of NAS-Bench-201 cells.

Reads ``hw_{cifar10,cifar100,ImageNet16-120}.csv``: one row per NB201 cell, key column
``net`` = NASLib op tuple (converted with
:func:`~ednag_opt.fitness.nb201_encoding.arch_str_from_naslib`), one column per cost.
"""

from __future__ import annotations

import csv
import functools
import math
from pathlib import Path

import numpy as np

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness.nb201_encoding import arch_str_from_naslib, resolve_dataset
from ednag_opt.fitness.table import Table

__all__ = ["HW_METRICS", "load_hw_table", "hw_file_name"]

#: Known HW-NAS-Bench columns and whether larger is better. Latencies (ms) and energies
#: (mJ) are costs; Eyeriss arithmetic intensity (operations per memory access) is a
#: utilisation ratio where larger is better.
HW_METRICS: dict[str, bool] = {
    "edgegpu_latency": False,
    "edgegpu_energy": False,
    "raspi4_latency": False,
    "edgetpu_latency": False,
    "pixel3_latency": False,
    "eyeriss_latency": False,
    "eyeriss_energy": False,
    "eyeriss_arithmetic_intensity": True,
    "fpga_latency": False,
    "fpga_energy": False,
}


def hw_file_name(dataset: str) -> str:
    """File name of the HW-NAS-Bench table of an NB201 dataset."""
    return f"hw_{resolve_dataset(dataset)}.csv"


def load_hw_table(dataset: str, path: str | Path | None = None) -> Table:
    """HW-NAS-Bench costs of all NB201 cells for one dataset.

    Parameters
    ----------
    dataset : str
        NB201 dataset or alias.
    path : str or Path, optional
        The CSV file, or a directory holding ``hw_<dataset>.csv``. Default:
        ``nasbench201/hw_<dataset>.csv`` in the data directory.

    Returns
    -------
    Table
        One column per cost (names as in the CSV header); directions from
        :data:`HW_METRICS`, unknown columns treated as costs (smaller is better).
    """
    name = hw_file_name(dataset)
    if path is None:
        path = find_data_file(f"nasbench201/{name}")
    path = Path(path)
    if path.is_dir():
        path = path / name
    if not path.is_file():
        raise FileNotFoundError(f"HW-NAS-Bench table not found: {path}")
    return _load(str(path.resolve()), path.stat().st_mtime_ns)


def _parse_net(text: str) -> tuple[int, ...]:
    return tuple(int(t) for t in text.strip().strip("()[]").split(",") if t.strip())


def _float(text: str) -> float:
    return float(text) if text.strip() else math.nan


@functools.lru_cache(maxsize=6)
def _load(path: str, _mtime: int) -> Table:
    with open(path, newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        if "net" not in header:
            raise ValueError(f"{path}: no 'net' column (HW-NAS-Bench format); header {header}")
        inet = header.index("net")
        names = [h for h in header if h != "net"]
        pos = [header.index(h) for h in names]
        archs, rows = [], []
        for rec in reader:
            if not rec:
                continue
            archs.append(arch_str_from_naslib(_parse_net(rec[inet])))
            rows.append([_float(rec[j]) for j in pos])
    data = np.array(rows, dtype=np.float64).reshape(len(rows), len(names))
    cols = {h: data[:, k] for k, h in enumerate(names)}
    dirs = {h: HW_METRICS.get(h, False) for h in names}
    return Table(archs, cols, dirs)
