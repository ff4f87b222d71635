"""OFA MobileNetV3: dict strings, canonical inactive blocks, predictor features."""

from __future__ import annotations

import itertools
import json

import pytest
import torch

from ednag_opt.spaces import OFAArch, get_space


@pytest.fixture(scope="module")
def space():
    return get_space("mobilenetv3")


def _arch(space, k: int, e: int, d: int, r: int) -> OFAArch:
    return space.from_str(json.dumps({"ks": [k] * 20, "e": [e] * 20, "d": [d] * 5, "r": [r]}))


def test_count_from_formula(space):
    per_stage = sum(1 for d in (2, 3, 4) for _ in itertools.product(range(9), repeat=d))
    assert per_stage == 7371
    assert space.num_architectures == per_stage**5 * 7 == 152_310_588_448_007_400_957
    assert get_space("mobilenetv3", resolutions=(224,)).num_architectures == 7371**5


def test_layout_and_resolutions():
    space = get_space("mobilenetv3")
    assert space.shape == (46, 7) and space.resolutions == tuple(range(128, 225, 16))
    small = get_space("mobilenetv3", resolutions=(160, 224))
    assert small.shape == (46, 3) and small.choice_counts[-1] == 2
    with pytest.raises(ValueError, match="resolutions"):
        get_space("mobilenetv3", resolutions=(100,))


def test_inactive_blocks_are_canonical(space):
    s = json.dumps({"ks": [7] * 20, "e": [6] * 20, "d": [2, 3, 4, 2, 3], "r": 160})
    arch = space.from_str(s)
    assert arch.ks[2:4] == (3, 3) and arch.e[2:4] == (3, 3)  # stage 0: depth 2
    assert arch.ks[4:7] == (7, 7, 7) and arch.ks[7] == 3
    assert arch.r == 160 and json.loads(str(arch))["r"] == [160]
    assert space.from_str(str(arch)) == arch
    raw = OFAArch((7,) * 20, (6,) * 20, (2, 3, 4, 2, 3), 160)
    assert not space.is_valid(raw) and space.canonicalize(raw) == arch


def test_decode_canonicalises_inactive_blocks(space):
    x = torch.zeros(1, *space.shape)
    x[0, :40, 2] = 1.0  # kernel 7, expand 6 everywhere
    x[0, 40:45, 0] = 1.0  # depth 2
    x[0, 45, 6] = 1.0  # r = 224
    arch = space.decode(x)[0]
    assert arch.d == (2,) * 5 and arch.r == 224
    assert arch.ks == (7, 7, 3, 3) * 5 and arch.e == (6, 6, 3, 3) * 5


def test_feature_vector_layout(space):
    s = {"ks": [3, 5, 7, 7] * 5, "e": [4, 6, 3, 3] * 5, "d": [4, 2, 3, 4, 2], "r": [176]}
    arch = space.from_str(json.dumps(s))
    f = space.feature_vector([arch])
    assert f.shape == (1, 128) and f.dtype == torch.float32
    assert f.sum() == 2 * sum(arch.d) + 1
    kern, exp, res = f[0, :60].view(20, 3), f[0, 60:120].view(20, 3), f[0, 120:]
    assert kern[0].tolist() == [1, 0, 0] and kern[1].tolist() == [0, 1, 0]
    assert kern[2].tolist() == [0, 0, 1] and exp[1].tolist() == [0, 0, 1]
    assert kern[6].sum() == 0 and exp[7].sum() == 0  # stage 1 has depth 2
    assert res.tolist() == [0, 0, 0, 0, 1, 0, 0, 0]  # (176 - 112) // 16 == 4


@pytest.mark.parametrize(
    "bad",
    [
        '{"ks": [3], "e": [3], "d": [2], "r": [128]}',
        '{"ks": [' + ", ".join(["4"] * 20) + '], "e": [' + ", ".join(["3"] * 20) + "], "
        '"d": [2, 2, 2, 2, 2], "r": [128]}',
        '{"ks": [' + ", ".join(["3"] * 20) + '], "e": [' + ", ".join(["3"] * 20) + "], "
        '"d": [2, 2, 2, 2, 2], "r": [100]}',
        '{"ks": [' + ", ".join(["3"] * 20) + '], "e": [' + ", ".join(["3"] * 20) + "], "
        '"d": [2, 2, 2, 2, 5], "r": [128]}',
        '{"ks": 3, "e": 3, "d": 2, "r": 128}',
        '{"ks": [3], "e": [3]}',
    ],
)
def test_bad_strings(space, bad):
    with pytest.raises(ValueError, match="cannot parse"):
        space.from_str(bad)


def test_accuracy_predictor_reference_values(space, data_file):
    state = torch.load(data_file("ofa/acc_predictor.pth"), map_location="cpu", weights_only=True)
    layers = [torch.nn.Linear(128, 400), torch.nn.Linear(400, 400), torch.nn.Linear(400, 400)]
    net = torch.nn.Sequential(
        layers[0], torch.nn.ReLU(), layers[1], torch.nn.ReLU(), layers[2], torch.nn.ReLU(),
        torch.nn.Linear(400, 1),
    )  # fmt: skip
    net.load_state_dict(state)
    archs = [_arch(space, 7, 6, 4, 224), _arch(space, 3, 3, 2, 128)]
    with torch.no_grad():
        acc = net(space.feature_vector(archs)).squeeze(1)
    assert acc.tolist() == pytest.approx([0.8359, 0.7667], abs=6e-5)
