"""Data files shipped inside the package (``ednag_opt/data``), found with importlib.resources.

They are installed with the package (setuptools package data), so an installed copy finds
them as well as a clone:

* ``models/transferable_nb201_digits.pt``: the meta-trained
  :class:`~ednag_opt.fitness.predictors.TransferablePredictor` (see
  ``docs/results_transferable.md``);
* ``meta/nb201_digits_meta.csv``: its meta-training table (200 NB201 cells x 10 tasks).

Benchmark tables are not shipped; see :mod:`ednag_opt.datasets` for those.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.resources
from pathlib import Path

__all__ = [
    "META_TABLE",
    "TRANSFERABLE_MODEL",
    "bundled_file",
    "list_bundled",
    "meta_table_path",
    "transferable_model_path",
]

#: Bundled meta-trained transferable predictor (relative to ``ednag_opt/data``).
TRANSFERABLE_MODEL = "models/transferable_nb201_digits.pt"
#: Bundled meta-training table of that predictor (relative to ``ednag_opt/data``).
META_TABLE = "meta/nb201_digits_meta.csv"

_EXTRACTED = contextlib.ExitStack()
atexit.register(_EXTRACTED.close)


def bundled_file(relative: str) -> Path:
    """A real filesystem path of a file in ``ednag_opt/data``.

    Args:
        relative: Path inside ``ednag_opt/data``, e.g. :data:`TRANSFERABLE_MODEL`.

    Returns:
        The file's path (extracted to a temporary file, removed at exit, when the package
        is imported from a zip archive).

    Raises:
        FileNotFoundError: If the package has no such data file (naming what it has).
    """
    res = importlib.resources.files("ednag_opt").joinpath("data", *relative.split("/"))
    if not res.is_file():
        raise FileNotFoundError(
            f"ednag_opt has no bundled data file {relative!r}; it ships {list_bundled()}"
        )
    if isinstance(res, Path):
        return res
    return _EXTRACTED.enter_context(importlib.resources.as_file(res))


def list_bundled() -> list[str]:
    """Relative paths of every bundled data file."""
    root = importlib.resources.files("ednag_opt").joinpath("data")
    out: list[str] = []
    stack = [("", root)] if root.is_dir() else []
    while stack:
        prefix, node = stack.pop()
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                if child.name != "__pycache__":
                    stack.append((name + "/", child))
            else:
                out.append(name)
    return sorted(out)


def transferable_model_path() -> Path:
    """Path of the bundled meta-trained transferable predictor (a ``torch.save`` file)."""
    return bundled_file(TRANSFERABLE_MODEL)


def meta_table_path() -> Path:
    """Path of the bundled meta-training table (CSV)."""
    return bundled_file(META_TABLE)
