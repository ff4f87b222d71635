"""Reading benchmark files: pickles (optionally bz2-compressed), ``torch.save`` files, and
checked CSV tables (shape, numbers, completeness)."""

from __future__ import annotations

import bz2
import csv
import math
import pickle
from pathlib import Path
from typing import Any

__all__ = [
    "IncompleteTableError",
    "TableFormatError",
    "check_complete",
    "load_pickle",
    "load_torch",
    "parse_cell",
    "read_csv_rows",
]


def load_pickle(path: str | Path) -> Any:
    """A pickle file, bz2-compressed (NATS ``.pickle.pbz2``) or not.

    Unpickling runs code named in the file: only open benchmark files you trust.

    Raises:
        TableFormatError: If the file is truncated or not a pickle (naming the file).
    """
    with open(path, "rb") as fh:
        magic = fh.read(3)
    opener = bz2.open if magic == b"BZh" else open
    try:
        with opener(path, "rb") as fh:
            return pickle.load(fh)
    except (pickle.UnpicklingError, EOFError, OSError, ValueError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise TableFormatError(f"{path}: unreadable pickle, truncated or corrupt ({exc})") from exc


def load_torch(path: str | Path) -> Any:
    """A ``torch.save`` file on the CPU: the safe ``weights_only`` loader first, then (for
    old files holding other objects) the full unpickler.

    Raises:
        TableFormatError: If the file is truncated or not a torch file (naming the file).
    """
    import torch

    try:
        try:
            return torch.load(path, map_location="cpu", weights_only=True)
        except pickle.UnpicklingError:
            return torch.load(path, map_location="cpu", weights_only=False)
    except (pickle.UnpicklingError, EOFError, RuntimeError, ValueError) as exc:
        raise TableFormatError(
            f"{path}: unreadable torch file, truncated or corrupt ({exc})"
        ) from exc


def load_model_doc(path: str | Path, fmt: str, what: str) -> dict[str, Any]:
    """The dict a predictor's ``save`` wrote (``torch.load``, weights only, on the CPU).

    Raises:
        ValueError: Naming the file, if it is unreadable, truncated, not a torch file, or
            not of format ``fmt`` (``what`` names the expected kind in the message).
    """
    import torch

    try:
        doc = torch.load(Path(path), map_location="cpu", weights_only=True)
    except (pickle.UnpicklingError, EOFError, RuntimeError, IsADirectoryError) as exc:
        raise ValueError(f"{path}: unreadable, truncated or not a torch file ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != fmt:
        raise ValueError(f"{path} is not a {what} file (format {fmt!r})")
    return doc


# --------------------------------------------------------------- checked table reading
class TableFormatError(ValueError):
    """A benchmark table is malformed; the message names the file, row and column."""


class IncompleteTableError(TableFormatError):
    """A benchmark table has fewer rows than the benchmark (truncated or partial file)."""


def read_csv_rows(
    path: str | Path, required: list[str] | tuple[str, ...]
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and data rows of a CSV benchmark table, checked for shape.

    Args:
        path: The CSV file.
        required: Columns that must be in the header.

    Returns:
        The header and, per non-empty data row, its line number in the file (1-based) and
        its fields.

    Raises:
        TableFormatError: Empty file, missing columns, a row with a different number of
            fields than the header, a last row without its newline (a file cut inside a
            number would otherwise load a wrong value), undecodable bytes or broken quoting;
            the message names the file and the line.
    """
    line = 0
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise TableFormatError(f"{path}: empty file (no header row)")
            missing = [c for c in required if c not in header]
            if missing:
                raise TableFormatError(f"{path}: no columns {missing}; the header is {header}")
            rows = []
            for rec in reader:
                line = reader.line_num
                if not rec:
                    continue
                if len(rec) != len(header):
                    raise TableFormatError(
                        f"{path}, line {line}: {len(rec)} fields, the header has "
                        f"{len(header)} (a truncated or corrupt row)"
                    )
                rows.append((line, rec))
    except UnicodeDecodeError as exc:
        raise TableFormatError(f"{path}: not a UTF-8 text table ({exc})") from None
    except csv.Error as exc:
        raise TableFormatError(f"{path}, line {line + 1}: unreadable CSV ({exc})") from None
    if rows and _last_byte(path) not in (b"\n", b"\r"):
        raise TableFormatError(
            f"{path}, line {rows[-1][0]}: the file ends inside this row (no final newline), so "
            "it is probably truncated; if the file is whole, end it with a newline"
        )
    return header, rows


def _last_byte(path: str | Path) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(0, 2)
        if fh.tell() == 0:
            return b""
        fh.seek(-1, 2)
        return fh.read(1)


def parse_cell(text: str, path: str | Path, line: int, column: str) -> float:
    """A numeric table cell: empty or ``nan`` is unknown (NaN), infinity is an error.

    Args:
        text: The cell.
        path: File, for the error message.
        line: Line number, for the error message.
        column: Column name, for the error message.

    Returns:
        The value, NaN when unknown.

    Raises:
        TableFormatError: Naming file, line and column, if the cell is not a number or is
            infinite.
    """
    s = text.strip()
    if not s or s.lower() == "nan":
        return math.nan
    try:
        v = float(s)
    except ValueError:
        raise TableFormatError(
            f"{path}, line {line}, column {column!r}: {text!r} is not a number"
        ) from None
    if math.isinf(v):
        raise TableFormatError(
            f"{path}, line {line}, column {column!r}: infinite value {text!r}; benchmark "
            "values must be finite (leave the cell empty when unknown)"
        )
    return v


def check_complete(
    origin: str | Path, found: int, expected: int, what: str, *, allow_partial: bool
) -> None:
    """Refuse a table with fewer (or more) rows than its benchmark has.

    Args:
        origin: File (or description of the source), for the message.
        found: Rows read.
        expected: Rows of the complete benchmark.
        what: Name of the table (e.g. ``"NAS-Bench-201"``).
        allow_partial: Accept fewer rows than expected (never more).

    Raises:
        IncompleteTableError: If ``found < expected`` and not ``allow_partial``.
        TableFormatError: If ``found > expected``.
    """
    if found > expected:
        raise TableFormatError(
            f"{origin}: {found:,} rows, but {what} has {expected:,} architectures"
        )
    if found < expected and not allow_partial:
        raise IncompleteTableError(
            f"{origin}: incomplete {what} table, {found:,} of {expected:,} architectures "
            f"({expected - found:,} missing): the file is truncated or partial. Replace it "
            "with a complete copy, or pass allow_partial=True to use only the rows present"
        )
