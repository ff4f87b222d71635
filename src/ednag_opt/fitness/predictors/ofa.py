"""Once-for-All's MobileNetV3 ImageNet top-1 accuracy predictor as a fitness source.

The predictor is OFA's MLP 128-400-400-400-1 with ReLU between layers, saved as a torch
``state_dict`` with keys ``0.weight``/``0.bias`` ... ``6.weight``/``6.bias``. Its input is
:meth:`~ednag_opt.spaces.MobileNetV3Space.feature_vector` (kernel and expand one-hots of the
20 blocks, zeros for inactive ones, and the resolution one-hot); its output the predicted
top-1 accuracy as a fraction (about 0.77 to 0.84).

The project does not ship the file. Pass its path, or put it at ``ofa/acc_predictor.pth``
in the data directory (see :func:`ednag_opt.datasets.find_data_file`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from ednag_opt._device import resolve_device
from ednag_opt.datasets import find_data_file
from ednag_opt.fitness.base import FitnessSource
from ednag_opt.spaces.mobilenetv3 import (
    MAX_DEPTH,
    N_BLOCKS,
    N_STAGES,
    OFA_DEPTHS,
    OFA_EXPANDS,
    OFA_KERNELS,
    PREDICTOR_RESOLUTIONS,
    MobileNetV3Space,
    OFAArch,
)

__all__ = [
    "OFAAccuracyPredictor",
    "load_ofa_state_dict",
    "resolve_device",
    "as_ofa_archs",
    "encode_ofa",
    "ofa_features",
]

#: Relative path of the predictor in the data directory.
PREDICTOR_FILE = "ofa/acc_predictor.pth"
_HIDDEN = 400
#: Expected parameter shapes, in layer order.
_LAYOUT: dict[str, tuple[int, ...]] = {
    "0.weight": (_HIDDEN, 128),
    "0.bias": (_HIDDEN,),
    "2.weight": (_HIDDEN, _HIDDEN),
    "2.bias": (_HIDDEN,),
    "4.weight": (_HIDDEN, _HIDDEN),
    "4.bias": (_HIDDEN,),
    "6.weight": (1, _HIDDEN),
    "6.bias": (1,),
}
#: Space used to check and featurise architectures: every resolution the predictor knows.
_SPACE = MobileNetV3Space(resolutions=PREDICTOR_RESOLUTIONS)


def load_ofa_state_dict(path: str | Path) -> dict[str, torch.Tensor]:
    """Load and validate OFA's accuracy-predictor ``state_dict`` (on the CPU).

    Raises:
        FileNotFoundError: no file at ``path``.
        ValueError: the file is not a readable torch file, not a plain state_dict, or its
            keys, shapes or values are not those of the 128-400-400-400-1 MLP.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"OFA accuracy predictor not found: {path}")
    try:
        obj = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # corrupt zip/pickle, truncated file, pickled module ...
        raise ValueError(
            f"{path} is not a readable torch state_dict of OFA's accuracy predictor "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''})"
        ) from exc
    if not isinstance(obj, Mapping):
        raise ValueError(
            f"{path} holds a {type(obj).__name__}, expected a state_dict (a mapping of "
            f"parameter names to tensors) with keys {list(_LAYOUT)}"
        )
    missing = [k for k in _LAYOUT if k not in obj]
    extra = [str(k) for k in obj if k not in _LAYOUT]
    if missing or extra:
        raise ValueError(
            f"{path} is not OFA's accuracy predictor (MLP 128-400-400-400-1): "
            f"missing keys {missing}, unexpected keys {extra}"
        )
    out: dict[str, torch.Tensor] = {}
    for key, shape in _LAYOUT.items():
        t = obj[key]
        if not isinstance(t, torch.Tensor) or not t.is_floating_point():
            what = f"dtype {t.dtype}" if isinstance(t, torch.Tensor) else type(t).__name__
            raise ValueError(f"{path}: {key!r} must be a floating-point tensor, got {what}")
        if tuple(t.shape) != shape:
            raise ValueError(
                f"{path}: {key!r} has shape {tuple(t.shape)}, expected {shape} "
                f"(OFA's MLP 128-400-400-400-1)"
            )
        if not torch.isfinite(t).all():
            raise ValueError(f"{path}: {key!r} contains NaN or infinite values")
        out[key] = t.detach().to(torch.float32)
    return out


def _mlp() -> nn.Sequential:
    return nn.Sequential(
        nn.Linear(128, _HIDDEN),
        nn.ReLU(),
        nn.Linear(_HIDDEN, _HIDDEN),
        nn.ReLU(),
        nn.Linear(_HIDDEN, _HIDDEN),
        nn.ReLU(),
        nn.Linear(_HIDDEN, 1),
    )


def as_ofa_archs(archs: Sequence[Any] | OFAArch) -> list[OFAArch]:
    """Architectures as canonical :class:`OFAArch` objects.

    Accepts ``OFAArch`` objects (inactive blocks are canonicalised), OFA's JSON strings and
    OFA's dicts ``{"ks", "e", "d", "r"}``. Raises ``ValueError``/``TypeError`` on others.
    """
    if isinstance(archs, OFAArch | str | dict):
        archs = [archs]
    out = []
    for a in archs:
        if isinstance(a, OFAArch):
            a = _SPACE.canonicalize(a)
            _SPACE._require_valid(a)
        elif isinstance(a, str | dict):
            a = _SPACE.from_str(a if isinstance(a, str) else json.dumps(a))
        else:
            raise TypeError(f"expected an OFAArch, OFA JSON string or dict, got {type(a).__name__}")
        out.append(a)
    return out


_K = {k: i for i, k in enumerate(OFA_KERNELS)}
_E = {e: i for i, e in enumerate(OFA_EXPANDS)}
_ACTIVE = {d: [b < d for b in range(MAX_DEPTH)] for d in OFA_DEPTHS}


def _rows(a: OFAArch) -> tuple[list[int], list[int], list[bool]] | None:
    """Kernel/expand indices and active flags of the 20 blocks; ``None`` if not valid."""
    try:
        if len(a.ks) != N_BLOCKS or len(a.e) != N_BLOCKS or len(a.d) != N_STAGES:
            return None
        act = [f for d in a.d for f in _ACTIVE[d]]
        k = [_K[v] if f else 0 for v, f in zip(a.ks, act)]
        e = [_E[v] if f else 0 for v, f in zip(a.e, act)]
    except (KeyError, TypeError):
        return None
    if a.r not in PREDICTOR_RESOLUTIONS or isinstance(a.r, bool):
        return None
    return k, e, act


def encode_ofa(archs: Sequence[Any] | OFAArch) -> tuple[np.ndarray, ...]:
    """Index arrays of a batch: kernel and expand choice indices ``(N, 20)`` (0 for inactive
    blocks), active-block mask ``(N, 20)`` and resolution ``(N,)``.

    Inputs as for :func:`as_ofa_archs`; values of inactive blocks are ignored.
    """
    if isinstance(archs, OFAArch | str | dict):
        archs = [archs]
    ks, es, acts, rs = [], [], [], []
    for a in archs:
        rows = _rows(a) if isinstance(a, OFAArch) else None
        if rows is None:  # strings, dicts and invalid objects: the space checks and explains
            (a,) = as_ofa_archs([a])
            rows = _rows(a)
            assert rows is not None
        ks.append(rows[0])
        es.append(rows[1])
        acts.append(rows[2])
        rs.append(int(a.r))
    n = len(rs)
    shape = (n, N_BLOCKS)
    return (
        np.asarray(ks, dtype=np.int64).reshape(shape),
        np.asarray(es, dtype=np.int64).reshape(shape),
        np.asarray(acts, dtype=bool).reshape(shape),
        np.asarray(rs, dtype=np.int64),
    )


def ofa_features(archs: Sequence[Any] | OFAArch) -> torch.Tensor:
    """OFA predictor input, float32 ``(N, 128)``: equal to
    :meth:`MobileNetV3Space.feature_vector`, computed in vectorised form."""
    k, e, act, r = encode_ofa(archs)
    n = len(r)
    out = np.zeros((n, 2 * 3 * N_BLOCKS + len(PREDICTOR_RESOLUTIONS)), dtype=np.float32)
    rows, blk = np.arange(n)[:, None], 3 * np.arange(N_BLOCKS)[None, :]
    out[rows, blk + k] = act
    out[rows, 3 * N_BLOCKS + blk + e] = act
    out[np.arange(n), 6 * N_BLOCKS + (r - PREDICTOR_RESOLUTIONS[0]) // 16] = 1.0
    return torch.from_numpy(out)


class OFAAccuracyPredictor(FitnessSource):
    """ImageNet top-1 accuracy (fraction) of OFA MobileNetV3 subnets, from OFA's predictor.

    One forward pass per batch. Inputs: :class:`OFAArch` objects of the ``mobilenetv3``
    space (any resolution 112..224), OFA JSON strings or dicts.

    Args:
        path: the predictor file (``acc_predictor.pth``); ``None`` looks up
            ``ofa/acc_predictor.pth`` with :func:`ednag_opt.datasets.find_data_file`.
        device: ``None`` (CPU), ``"auto"`` (CUDA when available) or a torch device.

    Example:
        >>> acc = OFAAccuracyPredictor("acc_predictor.pth")  # doctest: +SKIP
        >>> result = generate("mobilenetv3", acc, popsize=100, max_queries=3000)  # doctest: +SKIP
    """

    name = "ofa-accuracy"
    maximize = True

    def __init__(self, path: str | Path | None = None, device: str | torch.device | None = None):
        self.path = Path(path) if path is not None else find_data_file(PREDICTOR_FILE)
        self.device = resolve_device(device)
        model = _mlp()
        model.load_state_dict(load_ofa_state_dict(self.path))
        self.model = model.to(self.device).eval()

    def features(self, archs: Sequence[Any] | OFAArch) -> torch.Tensor:
        """The predictor input, float32 ``(N, 128)`` on the CPU (see :func:`ofa_features`)."""
        return ofa_features(archs)

    @torch.inference_mode()
    def predict(self, features: torch.Tensor) -> torch.Tensor:
        """Accuracies (float64, CPU) of a ``(N, 128)`` feature batch, in one forward pass."""
        if features.ndim != 2 or features.shape[1] != 128:
            raise ValueError(f"features must have shape (N, 128), got {tuple(features.shape)}")
        if features.shape[0] == 0:
            return torch.empty(0, dtype=torch.float64)
        out = self.model(features.to(self.device, torch.float32))
        return out[:, 0].to("cpu", torch.float64)

    def __call__(self, archs: Sequence[Any]) -> torch.Tensor:
        return self.predict(self.features(archs))

    def __repr__(self) -> str:
        return f"OFAAccuracyPredictor(path={str(self.path)!r}, device={str(self.device)!r})"
