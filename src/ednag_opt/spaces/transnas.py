"""TransNAS-Bench-101 micro (cell) and macro (skeleton) spaces.

Micro: strings ``64-41414-a_bc_def``, 6 edges (NB201 edge order) x 4 ops
(0 zeroize, 1 skip_connect, 2 conv1x1, 3 conv3x3); 4,096 cells, all valid.

Macro: strings ``64-<digits>-basic`` with 4 to 6 module digits in 1..4, where 1 is a
plain module, 2 doubles the channels, 3 halves the resolution and 4 does both. Valid
skeletons have 1 to 4 downsampling modules (digits 3, 4) and 1 to 3 channel-doubling
modules (digits 2, 4): exactly the 3,256 networks of the benchmark table (verified).

Index order of both: the NASLib table order, i.e. sorted by the NASLib op tuple
(the micro tuple is the six op digits, the macro tuple the module digits).
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from .base import ProductSpace, SearchSpace, is_int, parse_error, register_space, rows_to_code
from .nb201 import prune_cell_ops

__all__ = [
    "MICRO_OPS",
    "TransNASMicroArch",
    "TransNASMicroSpace",
    "TransNASMacroArch",
    "TransNASMacroSpace",
]

MICRO_OPS: tuple[str, ...] = ("zeroize", "skip_connect", "conv1x1", "conv3x3")
_MICRO_FMT = "'64-41414-a_bc_def' with digits 0-3"
_MACRO_FMT = (
    "'64-<4 to 6 digits in 1-4>-basic' with 1-4 downsampling (3, 4) and 1-3 doubling (2, 4)"
)


def _parse_tuple(s: object, space: str, fmt: str) -> tuple:
    t = s
    if isinstance(t, str):
        try:
            t = ast.literal_eval(t.strip())
        except (ValueError, SyntaxError) as exc:
            raise parse_error(space, s, "not a tuple", fmt) from exc
    if not isinstance(t, tuple | list) or not all(is_int(v) for v in t):
        raise parse_error(space, s, "need a tuple of ints", fmt)
    return tuple(int(v) for v in t)


# ----------------------------------------------------------------------- micro
@dataclass(frozen=True, slots=True)
class TransNASMicroArch:
    """A TransNAS-Bench-101 micro cell: ``ops[i]`` indexes :data:`MICRO_OPS`."""

    ops: tuple[int, ...]

    def __str__(self) -> str:
        o = self.ops
        return f"64-41414-{o[0]}_{o[1]}{o[2]}_{o[3]}{o[4]}{o[5]}"

    @property
    def key(self) -> str:
        """Canonical cache key (the arch string)."""
        return str(self)


@register_space("transnas-micro", aliases=("tnb101-micro", "transnas-bench-101-micro"))
class TransNASMicroSpace(ProductSpace[TransNASMicroArch]):
    """TransNAS-Bench-101 micro (cell-level) space."""

    name: ClassVar[str] = "transnas-micro"
    arch_type: ClassVar[type] = TransNASMicroArch
    choice_counts = (4,) * 6

    def _make(self, rows: tuple[int, ...]) -> TransNASMicroArch:
        return TransNASMicroArch(tuple(rows))

    def _to_rows(self, arch: TransNASMicroArch) -> tuple[int, ...]:
        return arch.ops

    def _check_arch(self, arch: TransNASMicroArch) -> str | None:
        ops = arch.ops
        if not isinstance(ops, tuple) or len(ops) != 6:
            return "ops must be a tuple of 6 ints"
        if not all(is_int(o) and 0 <= o < 4 for o in ops):
            return "each op must be an int in [0, 4)"
        return None

    def from_str(self, s: str) -> TransNASMicroArch:
        if not isinstance(s, str):
            raise parse_error(self.name, s, "not a string", _MICRO_FMT)
        parts = s.strip().split("-")
        if len(parts) != 3 or parts[0] != "64" or parts[1] != "41414":
            raise parse_error(self.name, s, "need prefix '64-41414-'", _MICRO_FMT)
        groups = parts[2].split("_")
        if [len(g) for g in groups] != [1, 2, 3] or not all(c in "0123" for c in "".join(groups)):
            raise parse_error(
                self.name, s, "cell part must be a_bc_def with digits 0-3", _MICRO_FMT
            )
        return self._table()[int("".join(groups), 4)]

    def canonicalize(self, arch: TransNASMicroArch) -> TransNASMicroArch:
        """The same network with every edge that carries no signal set to ``zeroize``
        (the NAS-Bench-201 cell's rule, :func:`~ednag_opt.spaces.nb201.prune_cell_ops`;
        4,096 cells, 2,128 distinct networks). Used by ``search``'s ``distinct="networks"``."""
        self._require_valid(arch)
        return self._table()[self._lex(TransNASMicroArch(prune_cell_ops(arch.ops)))]

    def index(self, arch: TransNASMicroArch) -> int:
        """Row index in the NASLib TransNAS micro table (lexicographic op order)."""
        self._require_valid(arch)
        return self._lex(arch)

    def enumerate(self) -> list[TransNASMicroArch]:
        """All 4,096 cells in index order."""
        return list(self._table())

    def to_naslib(self, arch: TransNASMicroArch) -> tuple[int, ...]:
        """NASLib's op tuple (the six digits of the cell string)."""
        self._require_valid(arch)
        return tuple(int(o) for o in arch.ops)

    def from_naslib(self, op_indices: tuple[int, ...] | str) -> TransNASMicroArch:
        t = _parse_tuple(op_indices, "NASLib TransNAS micro", "6 ints in [0, 4)")
        if len(t) != 6 or not all(0 <= v < 4 for v in t):
            raise parse_error("NASLib TransNAS micro", op_indices, "bad tuple", "6 ints in [0, 4)")
        return self._table()[self._lex(TransNASMicroArch(t))]


# ----------------------------------------------------------------------- macro
@dataclass(frozen=True, slots=True)
class TransNASMacroArch:
    """A TransNAS-Bench-101 macro skeleton: 4 to 6 module digits in 1..4."""

    modules: tuple[int, ...]

    def __str__(self) -> str:
        return "64-" + "".join(map(str, self.modules)) + "-basic"

    @property
    def key(self) -> str:
        """Canonical cache key (the arch string)."""
        return str(self)


def _macro_reason(modules: tuple[int, ...]) -> str | None:
    if not 4 <= len(modules) <= 6:
        return "need 4 to 6 modules"
    if not all(is_int(m) and 1 <= m <= 4 for m in modules):
        return "module digits must be in 1..4"
    down = sum(m in (3, 4) for m in modules)
    double = sum(m in (2, 4) for m in modules)
    if not 1 <= down <= 4:
        return f"{down} downsampling modules (3 or 4), need 1 to 4"
    if not 1 <= double <= 3:
        return f"{double} channel-doubling modules (2 or 4), need 1 to 3"
    return None


_DOWN = np.array([0, 0, 1, 1])  # digit index 0..3 (digits 1..4): downsamples?
_DOUBLE = np.array([0, 1, 0, 1])  # doubles the channels?


def _best_valid_modules(y: np.ndarray) -> np.ndarray:
    """Digit indices (M, L) maximising the summed logits ``y`` (M, L, 4) subject to
    1-4 downsampling and 1-3 channel-doubling modules (dynamic programme over counts)."""
    m, n_mod, _ = y.shape
    size = n_mod + 1
    best = np.full((m, size, size), -np.inf)
    best[:, 0, 0] = 0.0
    choice = np.zeros((n_mod, m, size, size), dtype=np.int64)
    for p in range(n_mod):
        cand = np.full((4, m, size, size), -np.inf)
        for dig in range(4):
            a, b = _DOWN[dig], _DOUBLE[dig]
            cand[dig, :, a:, b:] = best[:, : size - a, : size - b] + y[:, p, dig, None, None]
        choice[p], best = cand.argmax(axis=0), cand.max(axis=0)
    allowed = np.zeros((size, size), dtype=bool)
    allowed[1:5, 1:4] = True
    state = np.where(allowed, best, -np.inf).reshape(m, -1).argmax(axis=1)
    down, double = np.divmod(state, size)
    out = np.zeros((m, n_mod), dtype=np.int64)
    rows = np.arange(m)
    for p in range(n_mod - 1, -1, -1):
        dig = choice[p, rows, down, double]
        out[:, p] = dig
        down, double = down - _DOWN[dig], double - _DOUBLE[dig]
    return out


@register_space("transnas-macro", aliases=("tnb101-macro", "transnas-bench-101-macro"))
class TransNASMacroSpace(SearchSpace[TransNASMacroArch]):
    """TransNAS-Bench-101 macro (skeleton-level) space.

    Encoding: row 0 chooses the length (4, 5, 6); rows 1..6 choose module digits 1..4
    (rows beyond the length are ignored and encoded as digit 1). Decode takes the
    masked argmax; if its modules break the module-count rule, the repair keeps the
    argmax length and returns the valid skeleton of that length with the highest
    summed module logits (exact MAP given the length, by dynamic programming over the
    module counts; a valid argmax is kept).
    """

    name: ClassVar[str] = "transnas-macro"
    arch_type: ClassVar[type] = TransNASMacroArch
    choice_counts = (3,) + (4,) * 6
    _CACHE: ClassVar[dict[str, object]] = {}

    @classmethod
    def _tables(cls) -> tuple[list[TransNASMacroArch], np.ndarray]:
        if not cls._CACHE:
            archs = sorted(
                (
                    TransNASMacroArch(t)
                    for n in (4, 5, 6)
                    for t in itertools.product((1, 2, 3, 4), repeat=n)
                    if _macro_reason(t) is None
                ),
                key=lambda a: a.modules,
            )
            rows = np.array([cls._rows_of(a) for a in archs], dtype=np.int64)
            lookup = np.full(int(np.prod(cls.choice_counts)), -1, dtype=np.int64)
            lookup[rows_to_code(rows, cls.choice_counts)] = np.arange(len(archs))
            cls._CACHE.update(archs=archs, lookup=lookup)
        c = cls._CACHE
        return c["archs"], c["lookup"]  # type: ignore[return-value]

    @staticmethod
    def _rows_of(arch: TransNASMacroArch) -> list[int]:
        m = arch.modules
        return [len(m) - 4] + [v - 1 for v in m] + [0] * (6 - len(m))

    @property
    def num_architectures(self) -> int:
        return len(self._tables()[0])

    def _to_rows(self, arch: TransNASMacroArch) -> list[int]:
        return self._rows_of(arch)

    def _check_arch(self, arch: TransNASMacroArch) -> str | None:
        if not isinstance(arch.modules, tuple):
            return "modules must be a tuple"
        return _macro_reason(arch.modules)

    def _decode(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[TransNASMacroArch]:
        archs, lookup = self._tables()
        idx = idx.copy()
        length = idx[:, 0] + 4
        idx[:, 1:][np.arange(6)[None, :] >= length[:, None]] = 0  # canonical tail
        which = lookup[rows_to_code(idx, self.choice_counts)]
        bad = np.flatnonzero(which < 0)
        if bad.size:
            if logits is None:
                raise ValueError("invalid macro rows without logits to repair them")
            for n_mod in (4, 5, 6):
                rows = bad[length[bad] == n_mod]
                if rows.size:
                    y = logits[torch.from_numpy(rows), 1 : 1 + n_mod, :4].double().numpy()
                    idx[rows, 1 : 1 + n_mod] = _best_valid_modules(y)
            which[bad] = lookup[rows_to_code(idx[bad], self.choice_counts)]
        return [archs[i] for i in which.tolist()]

    def sample(self, n: int, generator: torch.Generator | None = None) -> list[TransNASMacroArch]:
        """``n`` skeletons drawn uniformly from the 3,256."""
        archs = self._tables()[0]
        picks = torch.randint(len(archs), (int(n),), generator=generator)
        return [archs[i] for i in picks.tolist()]

    def from_str(self, s: str) -> TransNASMacroArch:
        if not isinstance(s, str):
            raise parse_error(self.name, s, "not a string", _MACRO_FMT)
        parts = s.strip().split("-")
        if len(parts) != 3 or parts[0] != "64" or parts[2] != "basic":
            raise parse_error(self.name, s, "need '64-<digits>-basic'", _MACRO_FMT)
        if not parts[1].isdigit() or not parts[1].isascii():
            raise parse_error(self.name, s, "module part must be digits", _MACRO_FMT)
        return self._from_modules(tuple(int(c) for c in parts[1]), s)

    def _from_modules(self, modules: tuple[int, ...], shown: object) -> TransNASMacroArch:
        reason = _macro_reason(modules)
        if reason is not None:
            raise parse_error(self.name, shown, reason, _MACRO_FMT)
        archs, lookup = self._tables()
        rows = np.array([self._rows_of(TransNASMacroArch(modules))], dtype=np.int64)
        return archs[int(lookup[rows_to_code(rows, self.choice_counts)[0]])]

    def index(self, arch: TransNASMacroArch) -> int:
        """Row index in the NASLib TransNAS macro table (sorted module tuples)."""
        self._require_valid(arch)
        _, lookup = self._tables()
        rows = np.array([self._rows_of(arch)], dtype=np.int64)
        return int(lookup[rows_to_code(rows, self.choice_counts)[0]])

    def enumerate(self) -> list[TransNASMacroArch]:
        """All 3,256 skeletons in index order."""
        return list(self._tables()[0])

    def to_naslib(self, arch: TransNASMacroArch) -> tuple[int, ...]:
        """NASLib's op tuple (the module digits)."""
        self._require_valid(arch)
        return tuple(int(m) for m in arch.modules)

    def from_naslib(self, op_indices: tuple[int, ...] | str) -> TransNASMacroArch:
        return self._from_modules(_parse_tuple(op_indices, self.name, _MACRO_FMT), op_indices)
