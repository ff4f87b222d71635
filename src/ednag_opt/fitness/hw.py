"""HW-NAS-Bench hardware costs of NAS-Bench-201 cells.

Reads ``hw_{cifar10,cifar100,ImageNet16-120}.csv``: one row per NB201 cell, key column
``net`` = NASLib op tuple (converted with
:func:`~ednag_opt.fitness.nb201_encoding.arch_str_from_naslib`), one column per cost.

HW-NAS-Bench writes ``-1`` where a cost was not measured: the Edge TPU latency of 4,699 of
the 15,625 cells, in each dataset's file. No latency, energy or intensity is negative, so a
negative value is read as missing (NaN): such a cell has no value on that device, and a
search treats it as a failed evaluation (never on a Pareto front), not as the cheapest
cell of the space.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness._io import TableFormatError, check_complete, parse_cell, read_csv_rows
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


def load_hw_table(
    dataset: str, path: str | Path | None = None, *, allow_partial: bool = False
) -> Table:
    """HW-NAS-Bench costs of all NB201 cells for one dataset.

    Parameters
    ----------
    dataset : str
        NB201 dataset or alias.
    path : str or Path, optional
        The CSV file, or a directory holding ``hw_<dataset>.csv``. Default:
        ``nasbench201/hw_<dataset>.csv`` in the data directory.
    allow_partial : bool
        Accept a file with fewer than the 15,625 cells (default: an error).

    Returns
    -------
    Table
        One column per cost (names as in the CSV header); directions from
        :data:`HW_METRICS`, unknown columns treated as costs (smaller is better).
        Negative values (HW-NAS-Bench's ``-1``, "not measured") are NaN.

    Raises
    ------
    TableFormatError
        (a ValueError) naming the file, line and column of a malformed cell;
        :class:`IncompleteTableError` if cells are missing and ``allow_partial`` is false.
    """
    name = hw_file_name(dataset)
    if path is None:
        path = find_data_file(f"nasbench201/{name}")
    path = Path(path)
    if path.is_dir():
        path = path / name
    if not path.is_file():
        raise FileNotFoundError(f"HW-NAS-Bench table not found: {path}")
    table = _load(str(path.resolve()), path.stat().st_mtime_ns)
    check_complete(path, len(table), 15_625, "NAS-Bench-201", allow_partial=allow_partial)
    return table


def _parse_net(text: str, path: str, line: int) -> str:
    try:
        ops = tuple(int(t) for t in text.strip().strip("()[]").split(",") if t.strip())
        return arch_str_from_naslib(ops)
    except ValueError as exc:
        raise TableFormatError(
            f"{path}, line {line}, column 'net': {text!r} is not a NASLib NB201 op tuple ({exc})"
        ) from None


@functools.lru_cache(maxsize=6)
def _load(path: str, _mtime: int) -> Table:
    header, rows = read_csv_rows(path, ["net"])
    inet = header.index("net")
    names = [h for h in header if h != "net"]
    pos = [header.index(h) for h in names]
    archs = [_parse_net(rec[inet], path, line) for line, rec in rows]
    values = [[parse_cell(rec[j], path, line, h) for j, h in zip(pos, names)] for line, rec in rows]
    data = np.array(values, dtype=np.float64).reshape(len(rows), len(names))
    data[data < 0] = np.nan  # HW-NAS-Bench's "not measured" marker (-1)
    cols = {h: data[:, k] for k, h in enumerate(names)}
    dirs = {h: HW_METRICS.get(h, False) for h in names}
    return Table(archs, cols, dirs, origin=path)
