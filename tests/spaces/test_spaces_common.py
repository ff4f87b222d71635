"""Properties every search space must have."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ednag_opt.spaces import SearchSpace, get_space, list_spaces

NAMES = [
    "nas-bench-201",
    "nas-bench-101",
    "darts",
    "transnas-micro",
    "transnas-macro",
    "mobilenetv3",
]
COUNTS = {
    "nas-bench-201": 15_625,
    "nas-bench-101": 423_624,
    "darts": (1 * 3 * 6 * 10 * 7**8) ** 2,
    "transnas-micro": 4_096,
    "transnas-macro": 3_256,
    "mobilenetv3": (9**2 + 9**3 + 9**4) ** 5 * 7,
}
SMALL = {"nas-bench-201", "transnas-micro", "transnas-macro"}
SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(params=NAMES)
def space(request) -> SearchSpace:
    return get_space(request.param)


def test_registry_names_and_aliases():
    assert sorted(list_spaces()) == sorted(NAMES)
    assert get_space("nas-bench-301").name == "darts"
    assert get_space("NAS_Bench_201").name == "nas-bench-201"
    with pytest.raises(ValueError, match="known names:.*nas-bench-201"):
        get_space("nas-bench-999")


def test_layout(space):
    d1, d2 = space.shape
    assert space.mask.shape == (d1, d2) and space.mask.dtype == torch.bool
    assert space.mask.sum(1).tolist() == list(space.choice_counts)
    assert d2 == max(space.choice_counts) and min(space.choice_counts) >= 2


def test_counts(space):
    assert space.num_architectures == COUNTS[space.name]


def test_encode_is_masked_one_hot_and_decode_inverts_it(space):
    archs = space.sample(300, generator=torch.Generator().manual_seed(1))
    x = space.encode(archs)
    assert x.dtype == torch.float32 and x.shape == (300, *space.shape)
    assert torch.all(x.sum(-1) == 1) and not x[:, ~space.mask].any()
    assert space.decode(x) == archs
    assert space.decode(3.0 * x - 1.0) == archs  # any monotone rescaling
    assert space.decode(x.double().numpy()) == archs  # numpy input


def test_sample_is_valid_and_reproducible(space):
    a = space.sample(50, generator=torch.Generator().manual_seed(7))
    b = space.sample(50, generator=torch.Generator().manual_seed(7))
    assert a == b and all(space.is_valid(arch) for arch in a)
    assert len(set(a)) > 1


def test_strings_round_trip_and_keys(space):
    archs = space.sample(100, generator=torch.Generator().manual_seed(2))
    for arch in archs:
        s = space.to_str(arch)
        assert s == str(arch)
        back = space.from_str(s)
        assert back == arch and hash(back) == hash(arch) and back.key == arch.key
        assert isinstance(arch.key, str)


def test_numpy_integers_give_the_same_strings(space):
    arch = space.sample(1, generator=torch.Generator().manual_seed(4))[0]

    def to_numpy(v):
        if isinstance(v, tuple):
            return tuple(to_numpy(u) for u in v)
        return np.int64(v) if isinstance(v, int) else v

    fields = {name: to_numpy(getattr(arch, name)) for name in arch.__dataclass_fields__}
    twin = type(arch)(**fields)
    assert space.is_valid(twin) and twin == arch and str(twin) == str(arch)


def test_archs_are_immutable(space):
    arch = space.sample(1)[0]
    field = next(iter(arch.__dataclass_fields__))
    with pytest.raises(AttributeError):
        setattr(arch, field, None)


@pytest.mark.parametrize("bad", ["", "garbage", "[[", "(1, 2, 3)", "64--basic", "{}"])
def test_bad_strings_raise_value_error(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_str(bad)


def test_decode_input_checks(space):
    d1, d2 = space.shape
    with pytest.raises(ValueError, match="shape"):
        space.decode(torch.zeros(2, d1 + 1, d2))
    with pytest.raises(ValueError, match="shape"):
        space.decode(torch.zeros(d1, d2))
    with pytest.raises(ValueError, match="float"):
        space.decode(torch.zeros(2, d1, d2, dtype=torch.long))
    with pytest.raises(ValueError, match="float"):
        space.decode(np.zeros((2, d1, d2), dtype=np.int32))
    x = torch.zeros(2, d1, d2)
    x[1, 0, 0] = float("nan")
    with pytest.raises(ValueError, match="NaN"):
        space.decode(x)
    x[1, 0, 0] = float("inf")
    with pytest.raises(ValueError, match="infinite"):
        space.decode(x)
    with pytest.raises(ValueError):
        space.decode([[0.0]])
    assert space.decode(torch.zeros(0, d1, d2)) == []


def test_encode_rejects_foreign_objects(space):
    with pytest.raises(TypeError):
        space.encode([object()])
    with pytest.raises(TypeError):
        space.to_str("not an architecture")


def test_enumerate(space):
    if space.name not in SMALL:
        with pytest.raises(ValueError, match="enumerate"):
            space.enumerate()
        return
    archs = space.enumerate()
    assert len(archs) == len(set(archs)) == space.num_architectures
    assert all(space.index(a) == i for i, a in enumerate(archs))
    assert space.decode(space.encode(archs)) == archs


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(data=st.data())
def test_decode_any_finite_tensor_is_valid(name, data):
    space = get_space(name)
    width = data.draw(st.sampled_from([32, 64]))
    elements = st.floats(allow_nan=False, allow_infinity=False, width=width)
    n = data.draw(st.integers(1, 6))
    dtype = np.float32 if width == 32 else np.float64
    x = data.draw(hnp.arrays(dtype, (n, *space.shape), elements=elements))
    archs = space.decode(x)
    assert len(archs) == n
    for arch in archs:
        assert space.is_valid(arch), arch
        assert space.from_str(space.to_str(arch)) == arch
    assert space.decode(space.encode(archs)) == archs


@pytest.mark.parametrize("name", NAMES)
def test_decode_gaussian_batches_are_valid(name):
    space = get_space(name)
    x = torch.randn(2000, *space.shape, generator=torch.Generator().manual_seed(3))
    archs = space.decode(x)
    assert all(space.is_valid(a) for a in archs)
    assert space.decode(space.encode(archs)) == archs
    # decode only depends on the allowed entries
    y = x.masked_fill(~space.mask, math.pi * 1e6)
    assert space.decode(y) == archs
