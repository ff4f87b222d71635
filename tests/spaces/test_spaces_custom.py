"""The public way to add a search space (docs/spaces.md, examples/custom_space.py)."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
import torch

import ednag_opt
from ednag_opt.spaces import ProductSpace, SearchSpace, get_space, list_spaces, register_space
from ednag_opt.spaces import base as space_base

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "custom_space.py"


@pytest.fixture(scope="module", autouse=True)
def _restore_registry():
    """Spaces registered here must not leak into other tests' list_spaces()."""
    factories, aliases = dict(space_base._FACTORIES), dict(space_base._ALIASES)
    yield
    space_base._FACTORIES.clear()
    space_base._FACTORIES.update(factories)
    space_base._ALIASES.clear()
    space_base._ALIASES.update(aliases)


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("custom_space_example", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    yield mod
    sys.modules.pop(spec.name, None)


def test_example_space_round_trips_and_is_registered(example):
    space = get_space("Tiny")  # alias, case-insensitive
    assert isinstance(space, example.TinyConvSpace) and "tiny-convnet" in list_spaces()
    assert space.shape == (4, 4) and space.num_architectures == 144
    archs = space.sample(50, generator=torch.Generator().manual_seed(0))
    assert space.decode(space.encode(archs)) == archs
    assert all(space.from_str(str(a)) == a for a in archs)
    assert space.decode(torch.randn(200, 4, 4)) and all(
        space.is_valid(a) for a in space.decode(torch.randn(200, 4, 4))
    )
    assert len(set(space.enumerate())) == 144
    with pytest.raises(ValueError, match="width 12 is not one of"):
        space.encode([example.TinyNet(2, 12, 3, "relu")])
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_str("d2-w12-k3-relu")


def test_example_space_searched_by_generate(example, one_thread):
    space = example.TinyConvSpace()
    res = ednag_opt.generate(space, example.fitness_fn, maximize=True, max_queries=60, seed=0)
    best = max(space.enumerate(), key=lambda a: example.fitness_fn([a])[0])
    assert res.unique_queries <= 60
    hits = sum(ednag_opt.generate(space, example.fitness_fn, maximize=True, max_queries=60,
                                  seed=s).best_arch == best for s in range(20))  # fmt: skip
    # 60 of 144 queries find the optimum of this smooth toy in 14 of 20 runs (random
    # search: 60/144 per run, 12 or more of 20 with probability 0.04)
    assert hits >= 12
    again = ednag_opt.generate(space, example.fitness_fn, maximize=True, max_queries=60, seed=0)
    assert again.best_arch == res.best_arch and again.unique_queries == res.unique_queries


@dataclass(frozen=True)
class Ladder:
    """Widths of 3 layers that must not increase (rows couple: needs a repair)."""

    widths: tuple[int, ...]

    def __str__(self) -> str:
        return "-".join(map(str, self.widths))


class LadderSpace(SearchSpace[Ladder]):
    """A general space through the public hooks only: to_rows, from_rows, check_arch."""

    name = "ladder"
    arch_type = Ladder
    choice_counts = (4, 4, 4)
    num_architectures = 20  # non-increasing triples over 4 values

    def to_rows(self, arch: Ladder) -> list[int]:
        return [w.bit_length() - 4 for w in arch.widths]  # 8, 16, 32, 64 -> 0..3

    def from_rows(self, idx: np.ndarray, logits: torch.Tensor | None) -> list[Ladder]:
        rows = np.minimum.accumulate(idx, axis=1)  # repair: clip each row to the previous
        return [Ladder(tuple(8 << int(r) for r in row)) for row in rows]

    def check_arch(self, arch: Ladder) -> str | None:
        if len(arch.widths) != 3 or any(w not in (8, 16, 32, 64) for w in arch.widths):
            return "three widths from 8, 16, 32, 64 expected"
        return None if list(arch.widths) == sorted(arch.widths, reverse=True) else "increasing"

    def from_str(self, s: str) -> Ladder:
        return Ladder(tuple(int(t) for t in s.split("-")))


def test_general_space_with_public_hooks_and_repair():
    space = LadderSpace()
    archs = space.decode(torch.randn(300, 3, 4, generator=torch.Generator().manual_seed(1)))
    assert all(space.is_valid(a) for a in archs) and len(set(archs)) == 20
    assert space.decode(space.encode(archs)) == archs
    assert not space.is_valid(Ladder((8, 64, 8)))
    assert space.to_rows(Ladder((64, 32, 8))) == space._to_rows(Ladder((64, 32, 8))) == [3, 2, 0]
    res = ednag_opt.generate(space, lambda a: [sum(x.widths) for x in a], maximize=True,
                             max_queries=15, seed=0)  # fmt: skip
    assert res.unique_queries <= 15 and space.is_valid(res.best_arch)


def test_missing_hooks_are_named_at_construction():
    class Half(SearchSpace[Ladder]):
        name, arch_type, choice_counts, num_architectures = "half", Ladder, (2,), 2

        def to_rows(self, arch):
            return [0]

        def from_str(self, s):
            return Ladder((8,))

    with pytest.raises(TypeError, match=r"implement \['from_rows', 'check_arch'\]"):
        Half()

    class NoMake(ProductSpace[Ladder]):
        name, arch_type, choice_counts = "nomake", Ladder, (2,)

        def to_rows(self, arch):
            return [0]

        def check_arch(self, arch):
            return None

        def from_str(self, s):
            return Ladder((8,))

    with pytest.raises(NotImplementedError, match=r"must implement make\(rows\)"):
        NoMake().sample(1)


BUILTIN = ["darts", "mobilenetv3", "nas-bench-101", "nas-bench-201", "transnas-micro",
           "transnas-macro"]  # fmt: skip


def test_builtin_spaces_expose_the_public_hooks():
    for name in BUILTIN:
        space = get_space(name)
        (arch,) = space.sample(1, generator=torch.Generator().manual_seed(0))
        rows = space.to_rows(arch)
        assert list(rows) == list(space._to_rows(arch))
        assert space.check_arch(arch) is None
        assert space.from_rows(np.asarray([rows]), space.encode([arch])) == [arch]


def test_registering_a_user_space_by_name():
    register_space("ladder-test")(LadderSpace)
    assert isinstance(get_space("ladder_test"), LadderSpace)
