"""Encodings of NAS search spaces as masked one-hot tensors ``(N, D1, D2)``.

>>> from ednag_opt.spaces import get_space
>>> space = get_space("nas-bench-201")
>>> x = space.encode(space.sample(4))
>>> archs = space.decode(x)

Spaces: ``nas-bench-201``, ``nas-bench-101``, ``darts`` (alias ``nas-bench-301``),
``transnas-micro``, ``transnas-macro``, ``mobilenetv3``. See docs/spaces.md.
"""

from .base import ProductSpace, SearchSpace, get_space, list_spaces, register_space
from .darts import DARTS_OPS, DartsArch, DartsSpace
from .mobilenetv3 import MobileNetV3Space, OFAArch
from .nb101 import NB101_OPS, NB101Cell, NB101Space
from .nb201 import NB201_OPS, NB201Arch, NB201Space
from .transnas import (
    MICRO_OPS,
    TransNASMacroArch,
    TransNASMacroSpace,
    TransNASMicroArch,
    TransNASMicroSpace,
)

__all__ = [
    "DARTS_OPS",
    "MICRO_OPS",
    "NB101_OPS",
    "NB201_OPS",
    "DartsArch",
    "DartsSpace",
    "MobileNetV3Space",
    "NB101Cell",
    "NB101Space",
    "NB201Arch",
    "NB201Space",
    "OFAArch",
    "ProductSpace",
    "SearchSpace",
    "TransNASMacroArch",
    "TransNASMacroSpace",
    "TransNASMicroArch",
    "TransNASMicroSpace",
    "get_space",
    "list_spaces",
    "register_space",
]
