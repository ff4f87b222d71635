"""Abstract search-space interface, shared decode machinery and the space registry.

A space maps architectures to float tensors of shape ``(N, D1, D2)``: one row per
categorical choice, one-hot over its options. Rows with fewer options than ``D2`` are
masked, so decoding never picks an impossible option. Decoding any finite real tensor
yields valid architectures: a masked argmax per row, followed by a deterministic,
vectorised repair step in the spaces whose validity couples rows.
"""

from __future__ import annotations

import itertools
import math
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import numpy as np
import torch

__all__ = ["ProductSpace", "SearchSpace", "get_space", "list_spaces", "register_space"]

A = TypeVar("A")

#: Spaces with more architectures than this refuse :meth:`SearchSpace.enumerate`.
ENUMERATE_LIMIT = 1_000_000


#: Public subclass hooks and the private names the built-in spaces implement (aliases).
_HOOKS = (("to_rows", "_to_rows"), ("from_rows", "_decode"), ("check_arch", "_check_arch"))


class SearchSpace(ABC, Generic[A]):
    """A NAS search space with a continuous one-hot encoding.

    To add a space, subclass it (or :class:`ProductSpace` when every combination of row
    choices is valid), set ``name``, ``arch_type`` and ``choice_counts`` (number of valid
    options per row), and implement :meth:`to_rows`, :meth:`from_rows`, :meth:`check_arch`,
    :meth:`from_str` and :attr:`num_architectures` (see docs/spaces.md, "Adding your own
    space"). ``_to_rows``, ``_decode`` and ``_check_arch`` are the same hooks under their
    older private names; a subclass implements either name of each.
    """

    name: ClassVar[str]
    arch_type: ClassVar[type]
    choice_counts: tuple[int, ...]

    def __new__(cls, *args: Any, **kwargs: Any) -> SearchSpace[A]:
        missing = [
            pub
            for pub, priv in _HOOKS
            if getattr(cls, pub) is getattr(SearchSpace, pub)
            and getattr(cls, priv) is getattr(SearchSpace, priv)
        ]
        if missing:
            raise TypeError(
                f"can't instantiate search space {cls.__name__}: implement {missing} "
                "(see docs/spaces.md, 'Adding your own space')"
            )
        return super().__new__(cls)

    # ------------------------------------------------------------------ layout
    @property
    def shape(self) -> tuple[int, int]:
        """``(D1, D2)``: number of rows and width of a row."""
        return len(self.choice_counts), max(self.choice_counts)

    @property
    def mask(self) -> torch.Tensor:
        """Boolean ``(D1, D2)`` tensor, True where an option is allowed (a copy)."""
        cached = self.__dict__.get("_mask_cache")
        if cached is None:
            counts = torch.tensor(self.choice_counts)
            cached = torch.arange(self.shape[1])[None, :] < counts[:, None]
            self.__dict__["_mask_cache"] = cached
        return cached.clone()

    @property
    @abstractmethod
    def num_architectures(self) -> int:
        """Exact number of distinct architectures (see each space's docs)."""

    # ----------------------------------------------------------- conversions
    def encode(self, archs: Sequence[A] | A, *, validate: bool = True) -> torch.Tensor:
        """One-hot float32 tensor ``(N, D1, D2)`` of valid architectures.

        ``validate=False`` skips the validity check: only for architectures known to be
        valid (e.g. fresh from :meth:`decode`), where the check dominates the cost.
        """
        if isinstance(archs, self.arch_type):
            archs = [archs]
        archs = list(archs)
        d1, d2 = self.shape
        rows = np.zeros((len(archs), d1), dtype=np.int64)
        for i, arch in enumerate(archs):
            if validate:
                self._require_valid(arch)
            rows[i] = self._to_rows(arch)
        out = torch.zeros(len(archs), d1, d2)
        out.scatter_(2, torch.from_numpy(rows)[..., None], 1.0)
        return out

    def decode(self, x: torch.Tensor | np.ndarray) -> list[A]:
        """Valid architectures from any finite real tensor of shape ``(N, D1, D2)``."""
        logits = self._check_tensor(x)
        masked = logits.masked_fill(~self.mask, -math.inf)
        idx = masked.argmax(dim=-1).numpy()
        return self._decode(idx, logits)

    def to_str(self, arch: A) -> str:
        """The benchmark's string for ``arch`` (equals ``str(arch)``)."""
        self._require_type(arch)
        return str(arch)

    @abstractmethod
    def from_str(self, s: str) -> A:
        """Parse the benchmark's string format; raise ValueError on bad input."""

    def is_valid(self, arch: Any) -> bool:
        """Whether ``arch`` is a well-formed, canonical architecture of this space."""
        return isinstance(arch, self.arch_type) and self._check_arch(arch) is None

    def sample(self, n: int, generator: torch.Generator | None = None) -> list[A]:
        """``n`` random valid architectures (uniform over row choices by default)."""
        counts = torch.tensor(self.choice_counts, dtype=torch.float64)
        u = torch.rand(int(n), len(self.choice_counts), generator=generator, dtype=torch.float64)
        idx = (u * counts).floor().long().clamp_max(counts.long() - 1).numpy()
        return self._decode(idx, None)

    def enumerate(self) -> list[A]:
        """All architectures, in index order where the space has one."""
        raise ValueError(
            f"{self.name} has {self.num_architectures:.3e} architectures; "
            f"enumerate() is limited to small spaces (<= {ENUMERATE_LIMIT:,})"
        )

    def index(self, arch: A) -> int:
        """The benchmark's index of ``arch`` (small spaces only)."""
        raise NotImplementedError(f"{self.name} has no benchmark index order")

    # ---------------------------------------------------------- subclass API
    def to_rows(self, arch: A) -> Sequence[int]:
        """Row choices of a valid architecture: ``D1`` ints, row ``j`` in
        ``range(choice_counts[j])``. Subclass hook (private alias ``_to_rows``)."""
        return self._to_rows(arch)

    def from_rows(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[A]:
        """Architectures from row choices ``idx`` (int array ``(N, D1)``, the masked argmax
        of each row). Subclass hook (private alias ``_decode``).

        Where validity couples rows, repair invalid combinations deterministically, using
        ``logits`` (the checked, unmasked float tensor ``(N, D1, D2)``) to pick the
        next-best options. ``logits`` is None when ``idx`` comes from :meth:`sample`; then
        ``idx`` is uniform over each row's choices (override :meth:`sample` if that can be
        invalid).
        """
        return self._decode(idx, logits)

    def check_arch(self, arch: A) -> str | None:
        """None if ``arch`` (already of ``arch_type``) is valid, else the reason (a short
        phrase). Subclass hook (private alias ``_check_arch``)."""
        return self._check_arch(arch)

    # Private names of the hooks, implemented by the built-in spaces; by default each
    # calls its public counterpart (``__new__`` refuses a class that defines neither).
    def _to_rows(self, arch: A) -> Sequence[int]:
        return self.to_rows(arch)

    def _decode(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[A]:
        return self.from_rows(idx, logits)

    def _check_arch(self, arch: A) -> str | None:
        return self.check_arch(arch)

    # --------------------------------------------------------------- helpers
    def _require_type(self, arch: Any) -> None:
        if not isinstance(arch, self.arch_type):
            raise TypeError(
                f"{self.name} expects {self.arch_type.__name__} objects, got {type(arch).__name__}"
            )

    def _require_valid(self, arch: Any) -> None:
        self._require_type(arch)
        reason = self._check_arch(arch)
        if reason is not None:
            raise ValueError(f"invalid {self.name} architecture {arch!r}: {reason}")

    def _check_tensor(self, x: torch.Tensor | np.ndarray) -> torch.Tensor:
        """Validate a decode input; return a CPU float tensor (float32 or float64)."""
        if isinstance(x, np.ndarray):
            if not np.issubdtype(x.dtype, np.floating):
                raise ValueError(f"decode expects a float array, got dtype {x.dtype}")
            x = torch.from_numpy(np.ascontiguousarray(x))
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"decode expects a torch.Tensor or numpy array, got {type(x)}")
        if not x.is_floating_point():
            raise ValueError(f"decode expects a floating-point tensor, got dtype {x.dtype}")
        if x.dim() != 3 or tuple(x.shape[1:]) != self.shape:
            raise ValueError(
                f"{self.name} decodes tensors of shape (N, {self.shape[0]}, {self.shape[1]}), "
                f"got {tuple(x.shape)}"
            )
        x = x.detach().cpu()
        if x.dtype not in (torch.float32, torch.float64):
            x = x.float()
        if x.numel() and not bool(torch.isfinite(x).all()):
            if bool(torch.isnan(x).any()):
                raise ValueError("decode input contains NaN values")
            raise ValueError("decode input contains infinite values")
        if x.dtype == torch.float64 and x.numel():
            big = float(x.abs().max())
            if big > 1e300:  # rescale by an exact power of two so sums cannot overflow
                x = x * 2.0 ** (900 - math.frexp(big)[1])
        return x


class ProductSpace(SearchSpace[A]):
    """A space where every combination of row choices is one valid architecture.

    A subclass implements :meth:`make` (row choices -> architecture), :meth:`to_rows`, its
    validity rule :meth:`check_arch` and :meth:`from_str`; decoding, sampling and
    :attr:`num_architectures` come from here. Spaces of up to ``ENUMERATE_LIMIT``
    architectures are tabulated once per class and ``choice_counts`` (lexicographic row
    order), so decode is a table lookup and returns shared immutable objects.
    """

    _TABLES: ClassVar[dict[tuple[type, tuple[int, ...]], list[Any]]] = {}

    @property
    def num_architectures(self) -> int:
        return math.prod(self.choice_counts)

    def make(self, rows: tuple[int, ...]) -> A:
        """The architecture with these row choices. Subclass hook (private alias ``_make``)."""
        return self._make(rows)

    def _make(self, rows: tuple[int, ...]) -> A:
        if type(self).make is ProductSpace.make:
            raise NotImplementedError(f"{type(self).__name__} must implement make(rows)")
        return self.make(rows)

    def _table(self) -> list[A]:
        key = (type(self), tuple(self.choice_counts))
        table = ProductSpace._TABLES.get(key)
        if table is None:
            grid = itertools.product(*(range(c) for c in self.choice_counts))
            table = ProductSpace._TABLES[key] = [self._make(r) for r in grid]
        return table

    def _decode(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[A]:
        if type(self).from_rows is not SearchSpace.from_rows:
            return self.from_rows(idx, logits)
        if self.num_architectures > ENUMERATE_LIMIT:
            return [self._make(tuple(r)) for r in np.asarray(idx).tolist()]
        table = self._table()
        return [table[c] for c in rows_to_code(idx, self.choice_counts).tolist()]

    def enumerate(self) -> list[A]:
        """All architectures in lexicographic row order (small spaces only)."""
        if self.num_architectures > ENUMERATE_LIMIT:
            return super().enumerate()
        return list(self._table())

    def _lex(self, arch: A) -> int:
        code = 0
        for r, c in zip(self._to_rows(arch), self.choice_counts, strict=True):
            code = code * c + r
        return code


def is_int(v: Any) -> bool:
    """True for Python or numpy integers (not bools)."""
    return isinstance(v, int | np.integer) and not isinstance(v, bool | np.bool_)


def rows_to_code(rows: np.ndarray, counts: Sequence[int]) -> np.ndarray:
    """Mixed-radix code of row choices (first row most significant)."""
    code = np.zeros(rows.shape[0], dtype=np.int64)
    for j, c in enumerate(counts):
        code = code * c + rows[:, j]
    return code


def parse_error(space: str, s: Any, why: str, expected: str) -> ValueError:
    """A uniform ValueError for unparsable strings."""
    shown = repr(s) if len(repr(s)) <= 200 else repr(s)[:200] + "..."
    return ValueError(f"cannot parse {shown} as a {space} architecture: {why}; expected {expected}")


# ------------------------------------------------------------------ registry
_FACTORIES: dict[str, Callable[..., SearchSpace]] = {}
_ALIASES: dict[str, str] = {}


def _normalise(name: str) -> str:
    return name.strip().lower().replace("_", "-")


def register_space(name: str, aliases: Iterable[str] = ()) -> Callable[[type], type]:
    """Class decorator that registers a space under ``name`` (and ``aliases``)."""

    def deco(cls: type) -> type:
        _FACTORIES[name] = cls
        for alias in (name, *aliases):
            _ALIASES[_normalise(alias)] = name
        return cls

    return deco


def list_spaces() -> list[str]:
    """Canonical names of the registered spaces."""
    return list(_FACTORIES)


def get_space(name: str, **kwargs: Any) -> SearchSpace:
    """A new instance of the space called ``name`` (see :func:`list_spaces`)."""
    key = _ALIASES.get(_normalise(name)) if isinstance(name, str) else None
    if key is None:
        known = ", ".join(sorted(_ALIASES))
        raise ValueError(f"unknown search space {name!r}; known names: {known}")
    return _FACTORIES[key](**kwargs)
