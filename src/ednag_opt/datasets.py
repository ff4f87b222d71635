"""Where the optional benchmark tables live.

The project never ships benchmark tables. They are looked up in the directory named by
the ``EDNAG_DATA_DIR`` environment variable, else in ``../shared/data`` relative to the
current working directory or to the project checkout.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_dir", "find_data_file"]

_ENV = "EDNAG_DATA_DIR"


def _candidates() -> list[Path]:
    env = os.environ.get(_ENV)
    if env:
        return [Path(env)]
    here = Path(__file__).resolve()
    # src/ednag_opt/datasets.py -> project root is parents[2]; shared/ sits beside it
    return [Path.cwd() / ".." / "shared" / "data", here.parents[3] / "shared" / "data"]


def data_dir() -> Path | None:
    """The benchmark-data directory, or ``None`` when there is none."""
    for c in _candidates():
        if c.is_dir():
            return c.resolve()
    return None


def find_data_file(relative: str) -> Path:
    """Path of ``relative`` inside the data directory.

    Raises:
        FileNotFoundError: naming where it looked and how to point at the data.
    """
    for c in _candidates():
        p = c / relative
        if p.is_file():
            return p.resolve()
    looked = ", ".join(str(c / relative) for c in _candidates())
    raise FileNotFoundError(
        f"benchmark file {relative!r} not found (looked in: {looked}); "
        f"set {_ENV} to the directory that holds it"
    )
