"""Readers of the official NAS-Bench-201 and NATS-Bench (topology) benchmark files.

Tested only on small fixtures built by the tests in the same layout; the real files were not
available when this was written. Formats (as written by the official ``nas_201_api`` and
``nats_bench`` packages, which are NOT needed here):

* ``NAS-Bench-201-v1_[01]-*.pth`` (``torch.save``): a dict with ``meta_archs`` (list of arch
  strings, position = benchmark index) and ``arch2infos`` ({index: {"less": AR, "full": AR}},
  "less" = 12 epochs, "full" = 200 epochs).
* ``NATS-tss-v1_0-3ffb9.pickle.pbz2`` (bz2-compressed pickle): the same dict, with
  ``arch2infos`` = {index: {"12": AR, "200": AR}}.
* ``NATS-tss-v1_0-3ffb9-simple/`` directory: ``meta.pickle.pbz2`` holding ``meta_archs``,
  and one ``{index:06d}.pickle.pbz2`` per architecture holding {"12": AR, "200": AR}.

AR is the state dict of an ``ArchResults``; the keys read are ``dataset_seed``
({dataset: [seeds]}) and ``all_results`` ({(dataset, seed): RC}). RC, the state dict of a
``ResultsCount``, is read at ``epochs`` (number of epochs), ``eval_acc1es``
({"<set>@<epoch>": top-1 accuracy}), ``flop`` and ``params``. Accuracy is taken at the last
epoch (``epochs - 1``):

============== ============================== ================================
NB201 dataset  ``val``                        ``test``
============== ============================== ================================
cifar10        ("cifar10-valid", "x-valid")   ("cifar10", "ori-test")
cifar100       ("cifar100", "x-valid")        ("cifar100", "x-test")
ImageNet16-120 ("ImageNet16-120", "x-valid")  ("ImageNet16-120", "x-test")
============== ============================== ================================

``flops`` / ``params`` come from the ``test`` entry (seed mean). Missing entries are NaN.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from ednag_opt.fitness._io import TableFormatError, check_complete, load_pickle, load_torch
from ednag_opt.fitness.nb201_encoding import NB201_DATASETS, resolve_dataset
from ednag_opt.fitness.table import Table

__all__ = ["load_nb201_official", "read_official_file", "is_official_source"]

_VAL = {
    "cifar10": ("cifar10-valid", "x-valid"),
    "cifar100": ("cifar100", "x-valid"),
    "ImageNet16-120": ("ImageNet16-120", "x-valid"),
}
_TEST = {
    "cifar10": ("cifar10", "ori-test"),
    "cifar100": ("cifar100", "x-test"),
    "ImageNet16-120": ("ImageNet16-120", "x-test"),
}
#: Equivalent hyper-parameter keys of NB201 (``less``/``full``) and NATS (``12``/``200``).
_HP_ALIASES = {
    "200": ("200", "full"),
    "full": ("full", "200"),
    "12": ("12", "less"),
    "less": ("less", "12"),
}
_PBZ2 = "pickle.pbz2"


def is_official_source(source: Any) -> bool:
    """Whether ``source`` looks like an official NB201/NATS dict, file or directory."""
    if isinstance(source, Mapping):
        return "meta_archs" in source
    p = Path(source)
    return p.is_dir() or p.suffix == ".pth" or p.name.endswith((".pbz2", ".pickle"))


def read_official_file(path: str | Path) -> dict[str, Any]:
    """Load an official file or ``-simple`` directory into one dict.

    Returns
    -------
    dict
        ``{"meta_archs": [...], "arch2infos": {index: {hp: AR}}}``. For a directory, the
        per-architecture files are read eagerly; missing ones are left out of
        ``arch2infos`` (:func:`load_nb201_official` then refuses the table unless
        ``allow_partial=True``).

    Raises:
        TableFormatError: If a file is unreadable or lacks ``meta_archs`` (naming it).
    """
    path = Path(path)
    if path.is_dir():
        meta_file = path / f"meta.{_PBZ2}"
        if not meta_file.is_file():
            raise FileNotFoundError(f"{path} is not a NATS archive: no meta.{_PBZ2}")
        meta = load_pickle(meta_file)
        if not isinstance(meta, Mapping) or "meta_archs" not in meta:
            raise TableFormatError(f"{meta_file}: no 'meta_archs' list (not a NATS meta file)")
        archs = list(meta["meta_archs"])
        infos: dict[int, Any] = {}
        for i in range(len(archs)):
            for name in (f"{i:06d}.{_PBZ2}", f"{i}.{_PBZ2}"):
                f = path / name
                if f.is_file():
                    infos[i] = load_pickle(f)
                    break
        return {"meta_archs": archs, "arch2infos": infos}
    if not path.is_file():
        raise FileNotFoundError(f"benchmark file not found: {path}")
    doc = load_torch(path) if path.suffix == ".pth" else load_pickle(path)
    if not isinstance(doc, Mapping):
        raise TableFormatError(f"{path}: expected a dict, got {type(doc).__name__}")
    return dict(doc)


def _pick_hp(hp_map: Mapping[str, Any], hp: str) -> Any:
    for key in _HP_ALIASES.get(hp, (hp,)):
        if key in hp_map:
            return hp_map[key]
    return None


def _final(rc: Mapping[str, Any], setname: str) -> float:
    acc = rc.get("eval_acc1es") or {}
    epochs = rc.get("epochs")
    if epochs is None:  # fall back to the largest epoch recorded for this set
        found = [int(k.split("@")[1]) for k in acc if k.startswith(setname + "@")]
        if not found:
            return float("nan")
        epochs = max(found) + 1
    v = acc.get(f"{setname}@{int(epochs) - 1}")
    return float("nan") if v is None else float(v)


def _seed_values(ar: Mapping[str, Any], which: tuple[str, str]) -> tuple[list[float], list]:
    dataset, setname = which
    seeds = list((ar.get("dataset_seed") or {}).get(dataset, []))
    results = ar.get("all_results") or {}
    rcs = [results[(dataset, s)] for s in seeds if (dataset, s) in results]
    return [_final(rc, setname) for rc in rcs], rcs


def load_nb201_official(
    source: str | Path | Mapping[str, Any],
    dataset: str,
    *,
    hp: str = "200",
    allow_partial: bool = False,
) -> Table:
    """NB201 accuracies from an official NAS-Bench-201 / NATS-Bench topology source.

    A file or directory is read once per ``hp`` and kept in memory for all three datasets
    (until it changes on disk).

    Parameters
    ----------
    source : str, Path or dict
        ``.pth`` file, ``.pickle.pbz2`` file, ``-simple`` directory, or the dict such a
        file holds.
    dataset : str
        NB201 dataset or alias (see :func:`resolve_dataset`).
    hp : str
        Training schedule: ``"200"`` (default; NB201 ``"full"``) or ``"12"`` (``"less"``).
    allow_partial : bool
        Accept a source with fewer than 15,625 architectures, or with architectures that
        have no results for ``hp`` (their values are NaN). Default: an error.

    Returns
    -------
    Table
        Rows = ``meta_archs`` with benchmark indices; columns ``val``, ``test`` (seed means),
        ``flops``, ``params``; per-seed ``val`` and ``test``.

    Raises
    ------
    TableFormatError
        (a ValueError) naming the source, the architecture index and the field of a
        malformed entry; :class:`IncompleteTableError` if the source is partial and
        ``allow_partial`` is false.
    """
    dataset = resolve_dataset(dataset)
    if isinstance(source, Mapping):
        origin = "NAS-Bench-201 dict"
        tables, n_done = _tables_from_doc(source, str(hp), origin)
    else:
        path = Path(source).resolve()
        if not path.exists():
            raise FileNotFoundError(f"benchmark file not found: {path}")
        origin = str(path)
        tables, n_done = _tables_from_path(origin, path.stat().st_mtime_ns, str(hp))
    table = tables[dataset]
    check_complete(origin, len(table), 15_625, "NAS-Bench-201", allow_partial=allow_partial)
    if n_done < len(table) and not allow_partial:
        check_complete(
            f"{origin} (architectures with hp={hp!r} results)",
            n_done,
            len(table),
            "NAS-Bench-201",
            allow_partial=False,
        )
    return table


@functools.lru_cache(maxsize=2)
def _tables_from_path(path: str, _mtime: int, hp: str) -> tuple[dict[str, Table], int]:
    return _tables_from_doc(read_official_file(path), hp, path)


def _tables_from_doc(doc: Mapping[str, Any], hp: str, origin: str) -> tuple[dict[str, Table], int]:
    """Per-dataset tables and the number of architectures with results for ``hp``."""
    for key in ("meta_archs", "arch2infos"):
        if key not in doc:
            raise TableFormatError(
                f"{origin}: not an NB201/NATS benchmark dict: missing key {key!r}"
            )
    archs = [str(a) for a in doc["meta_archs"]]
    n = len(archs)
    ars: list[Mapping[str, Any] | None] = [None] * n
    for idx, hp_map in doc["arch2infos"].items():
        try:
            i = int(idx)
        except (TypeError, ValueError):
            raise TableFormatError(f"{origin}: arch2infos key {idx!r} is not an index") from None
        if 0 <= i < n and isinstance(hp_map, Mapping):
            ars[i] = _pick_hp(hp_map, hp)
    if n and all(ar is None for ar in ars):
        raise TableFormatError(
            f"{origin}: no architecture has results for hp={hp!r} (try '200' or '12')"
        )
    tables = {ds: _dataset_table(archs, ars, ds, origin) for ds in NB201_DATASETS}
    return tables, sum(ar is not None for ar in ars)


def _arch_values(
    ar: Mapping[str, Any], dataset: str, where: str
) -> tuple[list[float], list[float], float, float]:
    """Per-seed val and test accuracy, mean flops and params of one architecture."""
    try:
        val, _ = _seed_values(ar, _VAL[dataset])
        test, rcs = _seed_values(ar, _TEST[dataset])
        flops = float(np.mean([float(rc.get("flop", np.nan)) for rc in rcs])) if rcs else np.nan
        params = float(np.mean([float(rc.get("params", np.nan)) for rc in rcs])) if rcs else np.nan
    except (AttributeError, IndexError, KeyError, TypeError, ValueError) as exc:
        raise TableFormatError(
            f"{where}: malformed results ({type(exc).__name__}: {exc})"
        ) from None
    bad = [v for v in (*val, *test, flops, params) if np.isinf(v)]
    if bad:
        raise TableFormatError(f"{where}: infinite value {bad[0]} (values must be finite)")
    return val, test, flops, params


def _dataset_table(
    archs: list[str], ars: list[Mapping[str, Any] | None], dataset: str, origin: str
) -> Table:
    n = len(archs)
    seeds: dict[str, list[list[float]]] = {"val": [[]] * n, "test": [[]] * n}
    flops, params = np.full(n, np.nan), np.full(n, np.nan)
    for i, ar in enumerate(ars):
        if ar is None:
            continue
        where = f"{origin}, architecture index {i} ({archs[i]}), dataset {dataset!r}"
        seeds["val"][i], seeds["test"][i], flops[i], params[i] = _arch_values(ar, dataset, where)
    per_seed = {}
    cols = {"flops": flops, "params": params}
    for name, lists in seeds.items():
        width = max((len(x) for x in lists), default=0) or 1
        arr = np.full((n, width), np.nan)
        for i, xs in enumerate(lists):
            arr[i, : len(xs)] = xs
        per_seed[name] = arr
        counts = (~np.isnan(arr)).sum(axis=1)
        cols[name] = np.where(counts > 0, np.nansum(arr, axis=1) / np.maximum(counts, 1), np.nan)
    dirs = {"val": True, "test": True, "flops": False, "params": False}
    return Table(archs, cols, dirs, indices=np.arange(n), per_seed=per_seed, origin=origin)
