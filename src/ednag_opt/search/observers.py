"""Observers of a search: every searcher hands each history row to the same callables.

- a user's ``callback(row)``;
- :class:`ProgressBar`: a rich progress bar over unique queries (``progress=True``);
- :class:`JsonLinesLog`: one JSON object per row appended to a file (``log=PATH``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["JsonLinesLog", "ProgressBar"]


class ProgressBar:
    """A rich progress bar of unique queries (or of generations without a budget).

    Use as a context manager around the search; call it with each row.
    """

    def __init__(self, label: str, total: int | None, console: Any = None) -> None:
        self.label, self.total = label, total
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        self._bar = Progress(*columns, TimeElapsedColumn(), console=console, transient=False)
        self._task = None

    def __enter__(self) -> ProgressBar:
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.total)
        return self

    def __exit__(self, *exc: Any) -> None:
        self._bar.stop()

    def __call__(self, row: dict[str, Any]) -> None:
        done = row["unique_queries"]
        best = row.get("best_fitness")
        desc = self.label if best is None else f"{self.label} best {best:.4g}"
        total = self.total if self.total is not None else max(done, 1)
        self._bar.update(self._task, completed=min(done, total), total=total, description=desc)


class JsonLinesLog:
    """Appends each row as one JSON line to ``path`` (flushed per row)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise ValueError(f"log path {self.path} is a directory")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = self.path.open("a", encoding="utf-8")

    def __call__(self, row: dict[str, Any]) -> None:
        safe = {k: (str(v) if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in row.items()}  # fmt: skip
        self._fh.write(json.dumps(safe, default=str) + "\n")
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()
