"""Crash-safe file writing shared by caches, checkpoints and result files."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_open", "atomic_write"]


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; on success it atomically replaces ``path``.

    The data are written to a temporary file in the same folder, flushed and fsynced, then
    moved over ``path`` with :func:`os.replace`. If the block raises (or the process dies),
    ``path`` keeps its previous content and the temporary file is removed (or, after a hard
    kill, left as ``.<name>.*.tmp`` beside it). Parent folders are created.

    Args:
        path: Destination file.
        mode: ``"w"`` (text) or ``"wb"`` (binary).
        **kwargs: Passed to :func:`open` (e.g. ``encoding``, ``newline``).

    Yields:
        The open temporary file.

    Raises:
        ValueError: If ``mode`` is not a write mode.
    """
    if mode not in ("w", "wb", "wt"):
        raise ValueError(f"atomic_open supports modes 'w', 'wt' and 'wb', got {mode!r}")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if path.exists():  # keep the permissions of the file being replaced
            with contextlib.suppress(OSError):
                os.chmod(tmp, path.stat().st_mode & 0o7777)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable where the platform allows it (not on Windows)."""
    with contextlib.suppress(OSError, AttributeError):
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)


def atomic_write(path: str | Path, data: str | bytes, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_open`).

    Args:
        path: Destination file; its parent folders are created.
        data: Text (written with ``encoding``) or bytes.
        encoding: Encoding of text data.

    Returns:
        The path written.
    """
    path = Path(path)
    if isinstance(data, bytes):
        with atomic_open(path, "wb") as fh:
            fh.write(data)
    else:
        with atomic_open(path, "w", encoding=encoding) as fh:
            fh.write(data)
    return path
