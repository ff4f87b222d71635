"""Once-for-All MobileNetV3 space: 5 stages x up to 4 blocks, plus input resolution.

Each block has a kernel size in {3, 5, 7} and an expand ratio in {3, 4, 6}; each stage
a depth in {2, 3, 4}; the network an input resolution (default 128..224 step 16).
Blocks beyond a stage's depth are inactive and canonicalised to kernel 3, expand 3,
so equal networks have equal objects, strings and keys.

Encoding: 20 kernel rows (3 options), 20 expand rows (3), 5 depth rows (3) and one
resolution row (len(resolutions) options): D1 = 46, D2 = max(3, len(resolutions)).
Every combination is valid; decode is a masked argmax plus canonicalisation.

String: the JSON of OFA's dict ``{"ks": [20], "e": [20], "d": [5], "r": [int]}``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import torch

from .base import SearchSpace, is_int, parse_error, register_space

__all__ = ["OFA_KERNELS", "OFA_EXPANDS", "OFA_DEPTHS", "OFAArch", "MobileNetV3Space"]

OFA_KERNELS: tuple[int, ...] = (3, 5, 7)
OFA_EXPANDS: tuple[int, ...] = (3, 4, 6)
OFA_DEPTHS: tuple[int, ...] = (2, 3, 4)
N_STAGES, MAX_DEPTH = 5, 4
N_BLOCKS = N_STAGES * MAX_DEPTH
#: Resolutions of the accuracy predictor's one-hot: index (r - 112) // 16.
PREDICTOR_RESOLUTIONS: tuple[int, ...] = tuple(range(112, 225, 16))
_STAGE_KERNELS = list(itertools.product(OFA_KERNELS, repeat=MAX_DEPTH))
_STAGE_EXPANDS = list(itertools.product(OFA_EXPANDS, repeat=MAX_DEPTH))
_DEPTHS = list(itertools.product(OFA_DEPTHS, repeat=N_STAGES))
_FMT = '{"ks": [20 of 3/5/7], "e": [20 of 3/4/6], "d": [5 of 2/3/4], "r": [resolution]}'


@dataclass(frozen=True, slots=True)
class OFAArch:
    """An OFA MobileNetV3 subnet. ``ks``/``e`` have 20 entries (stage-major)."""

    ks: tuple[int, ...]
    e: tuple[int, ...]
    d: tuple[int, ...]
    r: int

    def to_dict(self) -> dict[str, list[int]]:
        """OFA's dict form."""
        ks, e, d = ([int(v) for v in t] for t in (self.ks, self.e, self.d))
        return {"ks": ks, "e": e, "d": d, "r": [int(self.r)]}

    def __str__(self) -> str:
        return json.dumps(self.to_dict())

    @property
    def key(self) -> str:
        """Canonical cache key (the JSON string)."""
        return str(self)


def _canonical(ks: Sequence[int], e: Sequence[int], d: Sequence[int]) -> tuple[tuple, tuple]:
    ks, e = list(ks), list(e)
    for s in range(N_STAGES):
        for b in range(d[s], MAX_DEPTH):
            ks[s * MAX_DEPTH + b] = OFA_KERNELS[0]
            e[s * MAX_DEPTH + b] = OFA_EXPANDS[0]
    return tuple(ks), tuple(e)


@register_space("mobilenetv3", aliases=("ofa", "ofa-mbv3", "mobilenet-v3"))
class MobileNetV3Space(SearchSpace[OFAArch]):
    """Once-for-All MobileNetV3 search space."""

    name: ClassVar[str] = "mobilenetv3"
    arch_type: ClassVar[type] = OFAArch

    def __init__(self, resolutions: Sequence[int] = tuple(range(128, 225, 16))) -> None:
        res = tuple(int(r) for r in resolutions)
        if not res or len(set(res)) != len(res) or not set(res) <= set(PREDICTOR_RESOLUTIONS):
            raise ValueError(f"resolutions must be distinct values of {PREDICTOR_RESOLUTIONS}")
        self.resolutions = res
        self.choice_counts = (3,) * (2 * N_BLOCKS + N_STAGES) + (len(res),)

    @property
    def num_architectures(self) -> int:
        """(sum over depths of 9**depth) ** 5 * number of resolutions."""
        per_stage = sum((len(OFA_KERNELS) * len(OFA_EXPANDS)) ** d for d in OFA_DEPTHS)
        return per_stage**N_STAGES * len(self.resolutions)

    def _to_rows(self, arch: OFAArch) -> list[int]:
        return (
            [OFA_KERNELS.index(k) for k in arch.ks]
            + [OFA_EXPANDS.index(v) for v in arch.e]
            + [OFA_DEPTHS.index(v) for v in arch.d]
            + [self.resolutions.index(arch.r)]
        )

    def _decode(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[OFAArch]:
        n = len(idx)
        ks, ex = idx[:, :N_BLOCKS].copy(), idx[:, N_BLOCKS : 2 * N_BLOCKS].copy()
        d = idx[:, 2 * N_BLOCKS : 2 * N_BLOCKS + N_STAGES]
        inactive = (np.arange(MAX_DEPTH)[None, None, :] > d[:, :, None] + 1).reshape(n, N_BLOCKS)
        ks[inactive] = 0  # canonical kernel 3 / expand 3 beyond the stage's depth
        ex[inactive] = 0
        # build tuples from cached pieces: one code per stage (4 blocks) and per depth list
        weights = 3 ** np.arange(MAX_DEPTH - 1, -1, -1)
        codes = np.concatenate(
            [
                (ks.reshape(n, N_STAGES, MAX_DEPTH) * weights).sum(axis=2),
                (ex.reshape(n, N_STAGES, MAX_DEPTH) * weights).sum(axis=2),
                (d * 3 ** np.arange(N_STAGES - 1, -1, -1)).sum(axis=1, keepdims=True),
                np.asarray(self.resolutions)[idx[:, -1:]],
            ],
            axis=1,
        )
        kt, et, dt = _STAGE_KERNELS, _STAGE_EXPANDS, _DEPTHS
        return [
            OFAArch(
                kt[a] + kt[b] + kt[c] + kt[d] + kt[e],
                et[f] + et[g] + et[h] + et[i] + et[j],
                dt[k],
                r,
            )  # fmt: skip
            for a, b, c, d, e, f, g, h, i, j, k, r in codes.tolist()
        ]

    def _check_arch(self, arch: OFAArch) -> str | None:
        fields = {"ks": (arch.ks, N_BLOCKS, OFA_KERNELS), "e": (arch.e, N_BLOCKS, OFA_EXPANDS)}
        fields["d"] = (arch.d, N_STAGES, OFA_DEPTHS)
        for name, (vals, n, allowed) in fields.items():
            if not isinstance(vals, tuple) or len(vals) != n:
                return f"{name} must be a tuple of {n} ints"
            if not all(is_int(v) and v in allowed for v in vals):
                return f"{name} values must be in {allowed}"
        if not is_int(arch.r) or arch.r not in self.resolutions:
            return f"r must be one of {self.resolutions}"
        if _canonical(arch.ks, arch.e, arch.d) != (arch.ks, arch.e):
            return "blocks beyond a stage's depth must be canonical (kernel 3, expand 3)"
        return None

    def canonicalize(self, arch: OFAArch) -> OFAArch:
        """``arch`` with inactive blocks set to the canonical kernel 3, expand 3."""
        ks, e = _canonical(arch.ks, arch.e, arch.d)
        return OFAArch(ks, e, tuple(arch.d), arch.r)

    def from_str(self, s: str | dict) -> OFAArch:
        """Parse OFA's JSON (or dict); inactive blocks are canonicalised."""
        try:
            obj = json.loads(s) if isinstance(s, str) else s
        except json.JSONDecodeError as exc:
            raise parse_error(self.name, s, "not JSON", _FMT) from exc
        if not isinstance(obj, dict) or set(obj) != {"ks", "e", "d", "r"}:
            raise parse_error(self.name, s, "need exactly the keys ks, e, d, r", _FMT)
        r = obj["r"]
        if isinstance(r, list) and len(r) == 1:
            r = r[0]
        try:
            ks, e, d = (tuple(obj[k]) for k in ("ks", "e", "d"))
        except TypeError as exc:
            raise parse_error(self.name, s, "ks, e, d must be lists", _FMT) from exc
        if len(d) == N_STAGES and all(is_int(v) and v in OFA_DEPTHS for v in d):
            if len(ks) == N_BLOCKS and len(e) == N_BLOCKS:
                ks, e = _canonical(ks, e, d)
        arch = OFAArch(ks, e, d, r)
        reason = self._check_arch(arch)
        if reason is not None:
            raise parse_error(self.name, s, reason, _FMT)
        return arch

    def feature_vector(self, archs: Sequence[OFAArch] | OFAArch) -> torch.Tensor:
        """OFA accuracy-predictor input, float32 ``(N, 128)``.

        Layout: 20 blocks x one-hot kernel (3, 5, 7) in columns 0-59, 20 blocks x
        one-hot expand (3, 4, 6) in 60-119 (zeros for inactive blocks), and one-hot
        resolution index (r - 112) // 16 in 120-127.
        """
        if isinstance(archs, OFAArch):
            archs = [archs]
        out = torch.zeros(len(archs), 2 * N_BLOCKS * 3 + len(PREDICTOR_RESOLUTIONS))
        for i, arch in enumerate(archs):
            self._require_valid(arch)
            for s in range(N_STAGES):
                for b in range(arch.d[s]):
                    blk = s * MAX_DEPTH + b
                    out[i, 3 * blk + OFA_KERNELS.index(arch.ks[blk])] = 1.0
                    out[i, 3 * N_BLOCKS + 3 * blk + OFA_EXPANDS.index(arch.e[blk])] = 1.0
            out[i, 6 * N_BLOCKS + (arch.r - 112) // 16] = 1.0
        return out
