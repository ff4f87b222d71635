"""Checkpoint and resume by replay.

A checkpoint holds the search's description (searcher, options, seed, space, direction)
and every query made so far with its value, written atomically after each evaluated batch
(at most once a second) and on any exit, including an exception or Ctrl-C. Rerunning the
same search with the same ``checkpoint=`` path replays it: the searcher runs again from
its seed and every query it repeats is answered from the checkpoint instead of the
fitness, so the run reaches the interruption point without a single re-evaluation and
continues bit-identically to an uninterrupted run (searchers are deterministic given their
seed and the values they receive). A replay that asks for a different query than the
recorded one means the checkpoint belongs to another search, and raises.

A multi-objective search (a :class:`~ednag_opt.search.multiobjective.MultiFitness`) also
saves every objective of every query (``"objectives"``); :meth:`Checkpoint.load` given the
search's cache puts them back into the objective caches, so no objective is evaluated again.
So does a penalised constrained source (``LatencyConstrained``: its accuracy and latency
parts, which constraint mode reads): any source with ``saved_values`` / ``restore_values``.
"""

from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Any

from .._io import atomic_write

__all__ = ["Checkpoint"]

_FORMAT = "ednag_opt.Checkpoint"
_SAME = ("searcher", "options", "seed", "space", "maximize", "fitness")


class Checkpoint:
    """The checkpoint file of one search.

    Args:
        path: the JSON file (created on the first save; its folder too).
        meta: the search's description; a resumed file must match it in ``searcher``,
            ``options``, ``seed``, ``space``, ``maximize`` and ``fitness`` (the budget and
            target may change: a finished search can be extended).
        interval: minimum seconds between two periodic saves.
    """

    def __init__(self, path: str | Path, meta: dict[str, Any], interval: float = 1.0) -> None:
        self.path, self.meta, self.interval = Path(path), meta, float(interval)
        if self.path.is_dir():
            raise ValueError(f"checkpoint path {self.path} is a directory")
        self._last = -math.inf

    def load(self, cache: Any = None) -> list[tuple[str, float]]:
        """The recorded ``(key, value)`` queries, or ``[]`` when there is no file yet.

        Args:
            cache: the search's cache; when its source has several objectives, their
                saved values are restored into it (the replay then evaluates none of them).
        """
        if not self.path.exists():
            return []
        try:
            doc = json.loads(self.path.read_text())
            if doc.get("format") != _FORMAT:
                raise ValueError(f"format is not {_FORMAT!r}")
            queries = [(str(k), float(v)) for k, v in doc["queries"]]
            rows = [[float(v) for v in row] for row in doc.get("objectives", [])]
            saved = doc["meta"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"{self.path} is not a readable checkpoint: {exc}") from None
        mine = json.loads(json.dumps(self.meta, default=str))
        diff = [k for k in _SAME if saved.get(k) != mine.get(k)]
        if diff:
            shown = "; ".join(f"{k}: saved {saved.get(k)!r}, now {mine.get(k)!r}" for k in diff)
            raise ValueError(
                f"checkpoint {self.path} belongs to another search ({shown}); use another "
                "path or delete it"
            )
        multi = getattr(cache, "source", None)
        if rows and hasattr(multi, "restore_values"):
            if len(rows) != len(queries):
                raise ValueError(
                    f"{self.path} is not a readable checkpoint: "
                    f"{len(rows)} objective rows for {len(queries)} queries"
                )
            multi.restore_values(dict(zip((k for k, _ in queries), rows)))
        return queries

    def save(self, tracker: Any, *, force: bool = False) -> None:
        """Write the tracker's queries (skipped within ``interval`` of the last save)."""
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        doc = {
            "format": _FORMAT,
            "meta": self.meta,
            "stop_reason": tracker.stop_reason,
            "queries": [[tracker.key(a), v if math.isfinite(v) else str(v)]
                        for a, v in tracker.queries],  # fmt: skip
        }
        multi = getattr(tracker.cache, "source", None)
        if hasattr(multi, "saved_values"):  # several objectives: all of them
            rows = multi.saved_values([a for a, _ in tracker.queries])
            doc["objectives"] = [[v if math.isfinite(v) else str(v) for v in r] for r in rows]
        atomic_write(self.path, json.dumps(doc, default=str))
        self._last = now
