"""Adding your own search space and searching it with EDNAG (docs/spaces.md).

A toy convolutional-network space: depth, width, kernel size and activation, every
combination valid (so it subclasses ``ProductSpace``). The fitness here is a stand-in
that needs no training: how close the network's parameter count is to a 20,000 budget,
with a small bonus for GELU. Replace ``fitness_fn`` with your own evaluation.

Run from the clone's root: ``python examples/custom_space.py``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import ednag_opt
from ednag_opt.spaces import ProductSpace, get_space, register_space

DEPTHS = (1, 2, 3, 4)
WIDTHS = (8, 16, 32, 64)
KERNELS = (3, 5, 7)
ACTS = ("relu", "gelu", "silu")


@dataclass(frozen=True)
class TinyNet:
    """One architecture: immutable and hashable; ``str()`` is its string form."""

    depth: int
    width: int
    kernel: int
    act: str

    def __str__(self) -> str:
        return f"d{self.depth}-w{self.width}-k{self.kernel}-{self.act}"

    @property
    def params(self) -> int:
        """Weights of ``depth`` conv layers on a 3-channel input."""
        k2 = self.kernel * self.kernel
        return 3 * self.width * k2 + (self.depth - 1) * self.width * self.width * k2


@register_space("tiny-convnet", aliases=["tiny"])
class TinyConvSpace(ProductSpace[TinyNet]):
    """4 x 4 x 3 x 3 = 144 architectures; rows: depth, width, kernel, activation."""

    name = "tiny-convnet"
    arch_type = TinyNet
    choice_counts = (len(DEPTHS), len(WIDTHS), len(KERNELS), len(ACTS))

    def make(self, rows: tuple[int, ...]) -> TinyNet:
        d, w, k, a = rows
        return TinyNet(DEPTHS[d], WIDTHS[w], KERNELS[k], ACTS[a])

    def to_rows(self, arch: TinyNet) -> tuple[int, ...]:
        return (
            DEPTHS.index(arch.depth),
            WIDTHS.index(arch.width),
            KERNELS.index(arch.kernel),
            ACTS.index(arch.act),
        )

    def check_arch(self, arch: TinyNet) -> str | None:
        for field, options in [("depth", DEPTHS), ("width", WIDTHS), ("kernel", KERNELS),
                               ("act", ACTS)]:  # fmt: skip
            if getattr(arch, field) not in options:
                return f"{field} {getattr(arch, field)!r} is not one of {options}"
        return None

    def from_str(self, s: str) -> TinyNet:
        m = re.fullmatch(r"d(\d+)-w(\d+)-k(\d+)-([a-z]+)", str(s))
        arch = m and TinyNet(int(m[1]), int(m[2]), int(m[3]), m[4])
        if not arch or self.check_arch(arch) is not None:
            raise ValueError(f"cannot parse {s!r} as a {self.name} architecture")
        return arch


def fitness_fn(archs: list[TinyNet]) -> list[float]:
    """Stand-in fitness (maximised): closeness to a 20k-parameter budget, GELU bonus."""
    return [-abs(math.log(a.params / 20_000)) + 0.05 * (a.act == "gelu") for a in archs]


def main() -> None:
    space = get_space("tiny-convnet")  # registered: found by name like the built-in spaces
    res = ednag_opt.generate(space, fitness_fn, maximize=True, max_queries=60, seed=0)
    best = max(space.enumerate(), key=lambda a: fitness_fn([a])[0])
    print(f"found {res.best_arch} ({res.best_fitness:.4f}) in {res.unique_queries} queries")
    print(f"true optimum {best} ({fitness_fn([best])[0]:.4f}) of {space.num_architectures}")


if __name__ == "__main__":
    main()
