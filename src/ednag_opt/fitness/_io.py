"""Reading benchmark files: pickles (optionally bz2-compressed) and ``torch.save`` files."""

from __future__ import annotations

import bz2
import pickle
from pathlib import Path
from typing import Any

__all__ = ["load_pickle", "load_torch"]


def load_pickle(path: str | Path) -> Any:
    """A pickle file, bz2-compressed (NATS ``.pickle.pbz2``) or not.

    Unpickling runs code named in the file: only open benchmark files you trust.
    """
    with open(path, "rb") as fh:
        magic = fh.read(3)
    opener = bz2.open if magic == b"BZh" else open
    with opener(path, "rb") as fh:
        return pickle.load(fh)


def load_torch(path: str | Path) -> Any:
    """A ``torch.save`` file on the CPU: the safe ``weights_only`` loader first, then (for
    old files holding other objects) the full unpickler."""
    import torch

    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        return torch.load(path, map_location="cpu", weights_only=False)
