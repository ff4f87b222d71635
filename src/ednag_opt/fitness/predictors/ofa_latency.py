"""Samsung Note10 latency of OFA MobileNetV3 subnets from OFA's per-layer lookup tables.

OFA measured each layer shape on the phone and stored the mean time (ms) in one YAML file
per input resolution, ``{r}_lookup_table.yaml``, keyed like
``expanded_conv-input:40x40x32-output:20x20x48-expand:96-kernel:5-stride:2-idskip:0-se:1-hs:0``.
A subnet's latency is the sum over its layers, as in OFA's ``MBv3LatencyTable``:

* ``Conv``: the 3x3 stride-2 stem, r x r x 3 -> r/2 x r/2 x 24;
* the fixed first block (24 -> 24, expand 1, kernel 3, with identity skip);
* the active blocks of the 5 stages (widths 32, 48, 96, 136, 192; strides 2, 2, 2, 1, 2;
  squeeze-excite in stages 2, 4, 5; h-swish in stages 3-5). A stage's first block has the
  stride, the previous width as input and no skip; the others stride 1 with a skip. The
  middle width is ``in_channels * expand``;
* ``Conv_1`` (192 -> 1152), ``AvgPool2D``, ``Conv_2`` (1152 -> 1536) and ``Logits``.

Feature maps shrink as ``(f - 1) // stride + 1`` after ``(r + 1) // 2`` at the stem.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from ednag_opt.datasets import find_data_file
from ednag_opt.fitness.base import FitnessSource, as_fitness
from ednag_opt.fitness.cache import CachedFitness, cached_rows, restore_rows
from ednag_opt.fitness.predictors.ofa import encode_ofa
from ednag_opt.spaces.mobilenetv3 import MAX_DEPTH, N_BLOCKS, N_STAGES, OFA_EXPANDS, OFA_KERNELS

__all__ = ["OFALatency", "LatencyConstrained", "NOTE10_RESOLUTIONS", "layer_keys"]

#: Resolutions with a Note10 table.
NOTE10_RESOLUTIONS: tuple[int, ...] = (160, 176, 192, 208, 224)
TABLE_DIR = "ofa/note10_latency"
_STEM, _FIRST, _FINAL_EXPAND, _FEATURE_MIX = 24, 24, 1152, 1536
_WIDTHS = (32, 48, 96, 136, 192)
_STRIDES = (2, 2, 2, 1, 2)
_SE = (0, 1, 0, 1, 1)
_HSWISH = (0, 0, 1, 1, 1)
_FILE = re.compile(r"^(\d+)_lookup_table\.yaml$")


def _conv_key(kind: str, fin: int, cin: int, fout: int, cout: int) -> str:
    return f"{kind}-input:{fin}x{fin}x{cin}-output:{fout}x{fout}x{cout}"


def _block_key(f: int, cin: int, cout: int, mid: int, k: int, stride: int, skip: int, stage: int):
    fout = (f - 1) // stride + 1
    return (
        f"{_conv_key('expanded_conv', f, cin, fout, cout)}-expand:{mid}-kernel:{k}"
        f"-stride:{stride}-idskip:{skip}-se:{_SE[stage]}-hs:{_HSWISH[stage]}"
    )


def layer_keys(r: int) -> tuple[list[str], list[list[dict[tuple[int, int], str]]]]:
    """Table keys of resolution ``r``: the fixed layers, and per stage and block position
    (0 = first block, 1 = later blocks) a map (kernel, expand) -> key."""
    f = (r + 1) // 2
    fixed = [
        _conv_key("Conv", r, 3, f, _STEM),
        _block_key(f, _STEM, _FIRST, _FIRST, 3, 1, 1, 0),
    ]
    blocks = []
    cin = _FIRST
    for s in range(N_STAGES):
        cout, stride = _WIDTHS[s], _STRIDES[s]
        first = {
            (k, e): _block_key(f, cin, cout, round(cin * e), k, stride, 0, s)
            for k in OFA_KERNELS
            for e in OFA_EXPANDS
        }
        f = (f - 1) // stride + 1
        later = {
            (k, e): _block_key(f, cout, cout, round(cout * e), k, 1, 1, s)
            for k in OFA_KERNELS
            for e in OFA_EXPANDS
        }
        blocks.append([first, later])
        cin = cout
    fixed += [
        _conv_key("Conv_1", f, _WIDTHS[-1], f, _FINAL_EXPAND),
        _conv_key("AvgPool2D", f, _FINAL_EXPAND, 1, _FINAL_EXPAND),
        _conv_key("Conv_2", 1, _FINAL_EXPAND, 1, _FEATURE_MIX),
        f"Logits-input:1x1x{_FEATURE_MIX}-output:1000",
    ]
    return fixed, blocks


def _read_table(path: Path) -> dict[str, float]:
    try:
        import yaml
    except ImportError as exc:  # pyyaml is an optional dependency (extra "nas")
        raise ImportError("reading OFA latency tables needs pyyaml: pip install pyyaml") from exc
    try:
        doc = yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read latency table {path}: {exc}") from exc
    if not isinstance(doc, dict):
        raise ValueError(f"{path} is not an OFA latency table (expected a mapping of layers)")
    out = {}
    for key, entry in doc.items():
        if not isinstance(entry, dict) or not isinstance(entry.get("mean"), int | float):
            raise ValueError(f"{path}: entry {key!r} has no numeric 'mean'")
        if not math.isfinite(entry["mean"]):
            raise ValueError(f"{path}: entry {key!r} has a non-finite 'mean' {entry['mean']}")
        out[str(key)] = float(entry["mean"])
    return out


class OFALatency(FitnessSource):
    """Predicted Samsung Note10 latency (ms) of OFA MobileNetV3 subnets; lower is better.

    Args:
        table_dir: directory with ``{r}_lookup_table.yaml`` files; ``None`` looks up
            ``ofa/note10_latency`` in the data directory.
        resolutions: resolutions to load (default: every table found, 160..224 for Note10).

    Raises:
        FileNotFoundError: no table directory, or no table for a requested resolution.
        ValueError: a table lacks a layer that some subnet needs (named in the message).
    """

    name = "ofa-note10-latency"
    maximize = False

    def __init__(
        self, table_dir: str | Path | None = None, resolutions: Sequence[int] | None = None
    ) -> None:
        if table_dir is None:
            first = find_data_file(f"{TABLE_DIR}/{NOTE10_RESOLUTIONS[0]}_lookup_table.yaml")
            table_dir = first.parent
        self.table_dir = Path(table_dir)
        if not self.table_dir.is_dir():
            raise FileNotFoundError(f"latency table directory not found: {self.table_dir}")
        found = {
            int(m.group(1)): p
            for p in self.table_dir.iterdir()
            if (m := _FILE.match(p.name)) is not None
        }
        wanted = sorted(found) if resolutions is None else [int(r) for r in resolutions]
        lacking = [r for r in wanted if r not in found]
        if not wanted or lacking:
            raise FileNotFoundError(
                f"no latency table for resolution(s) {lacking or 'any'} in {self.table_dir} "
                f"(expected files named <r>_lookup_table.yaml; found {sorted(found)})"
            )
        self.resolutions = tuple(wanted)
        # per resolution: fixed part (ms) and a (20, 3, 3) block table [block, kernel, expand]
        self._fixed: dict[int, float] = {}
        self._blocks: dict[int, np.ndarray] = {}
        for r in self.resolutions:
            self._fixed[r], self._blocks[r] = self._compile(r, _read_table(found[r]), found[r])

    @staticmethod
    def _compile(r: int, lut: dict[str, float], path: Path) -> tuple[float, np.ndarray]:
        fixed_keys, block_keys = layer_keys(r)
        needed = fixed_keys + [k for st in block_keys for pos in st for k in pos.values()]
        missing = [k for k in needed if k not in lut]
        if missing:
            raise ValueError(
                f"{path} lacks {len(missing)} layer(s) of the MobileNetV3 space at "
                f"resolution {r}, e.g. {missing[0]!r}"
            )
        table = np.zeros((N_BLOCKS, len(OFA_KERNELS), len(OFA_EXPANDS)), dtype=np.float64)
        for s in range(N_STAGES):
            for b in range(MAX_DEPTH):
                keys = block_keys[s][min(b, 1)]
                for i, k in enumerate(OFA_KERNELS):
                    for j, e in enumerate(OFA_EXPANDS):
                        table[s * MAX_DEPTH + b, i, j] = lut[keys[(k, e)]]
        return sum(lut[k] for k in fixed_keys), table

    def latency(self, arch: Any) -> float:
        """Latency (ms) of one architecture."""
        return float(self([arch])[0])

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        k, e, act, r = encode_ofa(archs)
        out = np.zeros(len(r), dtype=np.float64)
        for res in np.unique(r).tolist():
            if res not in self._fixed:
                raise ValueError(
                    f"no Note10 latency table for resolution {res}; the tables cover "
                    f"{self.resolutions}. Search a space with those resolutions, e.g. "
                    f"get_space('mobilenetv3', resolutions={self.resolutions})"
                )
            rows = np.flatnonzero(r == res)
            per_block = self._blocks[res][np.arange(N_BLOCKS), k[rows], e[rows]]
            out[rows] = self._fixed[res] + (per_block * act[rows]).sum(axis=1)
        return torch.from_numpy(out)

    def __repr__(self) -> str:
        return f"OFALatency(table_dir={str(self.table_dir)!r}, resolutions={self.resolutions})"


class LatencyConstrained(FitnessSource):
    """Accuracy under a latency budget, as one penalised fitness to maximise.

    A feasible architecture (latency <= ``max_ms``) scores its accuracy; an infeasible one
    scores ``-(latency - max_ms) / max_ms``, which is below every feasible score (for a
    non-negative accuracy) and still ranks the infeasible ones by how far over they are.
    Both parts are memoised (:meth:`constraint_parts`), so ``search("ednag", ...)`` can
    search accuracy and latency as two objectives under the limit (its constraint mode,
    ``constraints="split"``) without evaluating an architecture twice.

    Args:
        accuracy: a maximised fitness source (e.g. :class:`OFAAccuracyPredictor`).
        latency: a minimised cost source (e.g. :class:`OFALatency`), in ms.
        max_ms: the latency budget.
    """

    maximize = True

    def __init__(self, accuracy: Any, latency: Any, max_ms: float) -> None:
        self.accuracy, self.latency = as_fitness(accuracy), as_fitness(latency)
        if not self.accuracy.maximize or self.latency.maximize:
            raise ValueError("need a maximised accuracy and a minimised latency source")
        if not max_ms > 0:
            raise ValueError(f"max_ms must be > 0, got {max_ms}")
        self.max_ms = float(max_ms)
        self.name = f"{self.accuracy.name}@{self.latency.name}<={self.max_ms:g}ms"
        self._parts = (CachedFitness(self.accuracy), CachedFitness(self.latency))

    def constraint_parts(self) -> tuple[CachedFitness, CachedFitness, float]:
        """The objective (accuracy), the constrained cost (latency) and its bound (ms).

        Each part is a cache this source shares: what it has evaluated is not evaluated
        again. ``search("ednag", ...)`` reads them in its constraint mode.
        """
        return (*self._parts, self.max_ms)

    def saved_values(self, archs: Sequence[Any]) -> list[list[float]]:
        """Cached (accuracy, latency) rows of ``archs`` (NaN where unknown), evaluating
        nothing: a search's checkpoint saves them, so that a resumed search in constraint
        mode evaluates neither part of a replayed architecture again."""
        return cached_rows(self._parts, archs)

    def restore_values(self, rows: Any) -> None:
        """Put saved (accuracy, latency) rows, by architecture key, back into the parts'
        caches (a checkpoint's replay).

        Raises:
            ValueError: a row without exactly two values.
        """
        restore_rows(self._parts, rows, "accuracy, latency")

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        archs = list(archs)
        acc_part, lat_part = self._parts
        lat = lat_part(archs).to(torch.float64)
        acc = acc_part(archs).to(torch.float64)
        over = lat - self.max_ms
        return torch.where(over <= 0, acc, -over / self.max_ms)
