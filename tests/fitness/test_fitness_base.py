"""FitnessSource interface and wrapping of plain callables."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ednag_opt.fitness import FitnessSource, FunctionFitness, arch_key, as_fitness


class _Arch:
    def __init__(self, s: str) -> None:
        self.s = s

    def __str__(self) -> str:
        return self.s


def _length(archs):
    return [float(len(str(a))) for a in archs]


@pytest.mark.parametrize(
    "convert",
    [list, tuple, np.array, lambda v: torch.tensor(v, dtype=torch.float32)],
    ids=["list", "tuple", "ndarray", "tensor32"],
)
def test_wrapped_callable_returns_float64_tensor(convert):
    f = as_fitness(lambda archs: convert(_length(archs)))
    out = f(["ab", _Arch("abcd"), "x"])
    assert isinstance(out, torch.Tensor)
    assert out.dtype == torch.float64
    assert out.tolist() == [2.0, 4.0, 1.0]


def test_wrapper_attributes_and_direction():
    f = as_fitness(_length, maximize=False)
    assert isinstance(f, FitnessSource) and isinstance(f, FunctionFitness)
    assert f.maximize is False
    assert f.name == "_length"
    assert as_fitness(_length, name="len").name == "len"


def test_callable_with_maximize_attribute_is_respected():
    def cost(archs):
        return [1.0] * len(archs)

    cost.maximize = False
    assert as_fitness(cost).maximize is False

    class Scorer:
        name = "scorer"
        maximize = False

        def __call__(self, archs):
            return [0.0] * len(archs)

    s = as_fitness(Scorer())
    assert (s.name, s.maximize) == ("scorer", False)


def test_source_is_returned_unchanged_and_direction_checked():
    f = as_fitness(_length)
    assert as_fitness(f) is f
    with pytest.raises(ValueError, match="maximize"):
        as_fitness(f, maximize=False)


def test_non_callable_rejected():
    with pytest.raises(TypeError, match="callable"):
        as_fitness(42)


def test_wrong_length_rejected():
    f = as_fitness(lambda archs: [1.0])
    with pytest.raises(ValueError, match=r"expected \(3,\)"):
        f(["a", "b", "c"])


def test_two_dimensional_output_rejected():
    f = as_fitness(lambda archs: np.ones((len(archs), 2)))
    with pytest.raises(ValueError, match="shape"):
        f(["a", "b"])


def test_column_vector_output_accepted():
    f = as_fitness(lambda archs: np.ones((len(archs), 1)))
    assert f(["a", "b"]).shape == (2,)


@pytest.mark.parametrize("bad", [None, "1,2", {"a": 1}, 3.0])
def test_non_sequence_output_rejected(bad):
    f = as_fitness(lambda archs: bad)
    with pytest.raises(TypeError, match="must return"):
        f(["a"])


def test_non_numeric_values_rejected():
    f = as_fitness(lambda archs: ["high"] * len(archs))
    with pytest.raises(TypeError, match="real numbers"):
        f(["a"])


def test_none_entries_mean_nan():
    g = as_fitness(lambda archs: [None, 1.0])
    out = g(["a", "b"])
    assert torch.isnan(out[0]) and out[1] == 1.0


def test_complex_tensor_rejected():
    f = as_fitness(lambda archs: torch.ones(len(archs), dtype=torch.complex64))
    with pytest.raises(TypeError, match="real"):
        f(["a"])


def test_nan_values_pass_through():
    f = as_fitness(lambda archs: [float("nan")] * len(archs))
    assert torch.isnan(f(["a", "b"])).all()


def test_per_architecture_function():
    f = as_fitness(lambda a: len(str(a)), batched=False)
    assert f(["abc", _Arch("de")]).tolist() == [3.0, 2.0]
    t = as_fitness(lambda a: torch.tensor([1.5]), batched=False)
    n = as_fitness(lambda a: np.float32(2.5), batched=False)
    assert t(["a"]).tolist() == [1.5] and n(["a"]).tolist() == [2.5]
    g = as_fitness(lambda a: "x", batched=False)
    with pytest.raises(TypeError, match="one real number"):
        g(["a"])


def test_empty_batch():
    f = as_fitness(_length)
    out = f([])
    assert out.shape == (0,) and out.dtype == torch.float64


def test_arch_key_uses_str():
    assert arch_key("abc") == "abc"
    assert arch_key(_Arch("xyz")) == "xyz"


def test_base_query_default_and_unknown_metric():
    f = as_fitness(_length)
    assert f.query(["ab"]).tolist() == [2.0]
    with pytest.raises(KeyError, match="no metric"):
        f.query(["ab"], "latency")
