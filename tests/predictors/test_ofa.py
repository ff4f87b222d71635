"""OFA accuracy predictor and Note10 latency tables (data tests skip without ../shared/data)."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest
import torch

from ednag_opt import generate
from ednag_opt.fitness import CachedFitness
from ednag_opt.fitness.predictors import LatencyConstrained, OFAAccuracyPredictor, OFALatency
from ednag_opt.fitness.predictors.ofa import _LAYOUT, load_ofa_state_dict, ofa_features
from ednag_opt.fitness.predictors.ofa_latency import NOTE10_RESOLUTIONS
from ednag_opt.spaces import OFAArch, get_space

SPACE = get_space("mobilenetv3")
NOTE10_SPACE = get_space("mobilenetv3", resolutions=NOTE10_RESOLUTIONS)
# The subnet OFA's tutorial (tutorial/ofa.ipynb) found on Note10 under 25 ms; the notebook
# prints "81.71% predicted accuracy with 24.73 ms latency", image size 192.
TUTORIAL = {
    "ks": [5, 3, 3, 3, 5, 3, 3, 3, 7, 7, 3, 3, 5, 5, 7, 3, 3, 3, 5, 3],
    "e": [3, 3, 3, 3, 4, 4, 3, 3, 6, 3, 4, 3, 4, 4, 4, 3, 6, 6, 6, 3],
    "d": [2, 2, 3, 4, 3],
    "r": [192],
}


def uniform(k: int, e: int, d: int, r: int) -> OFAArch:
    return SPACE.from_str(json.dumps({"ks": [k] * 20, "e": [e] * 20, "d": [d] * 5, "r": [r]}))


@pytest.fixture
def acc_path(data_file):
    return data_file("ofa/acc_predictor.pth")


@pytest.fixture
def acc(acc_path):
    return OFAAccuracyPredictor(acc_path)


@pytest.fixture
def lat(data_file):
    return OFALatency(data_file("ofa/note10_latency/160_lookup_table.yaml").parent)


def fake_state(seed: int = 0) -> dict[str, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return {k: torch.randn(s, generator=g) * 0.05 for k, s in _LAYOUT.items()}


# ----------------------------------------------------------------------------- accuracy
def test_reference_values(acc, data_file):
    assert acc.path == data_file("ofa/acc_predictor.pth")
    v = acc([uniform(7, 6, 4, 224), uniform(3, 3, 2, 128)])
    assert v.dtype == torch.float64 and v.shape == (2,)
    assert v[0].item() == pytest.approx(0.8359, abs=5e-5)
    assert v[1].item() == pytest.approx(0.7667, abs=5e-5)
    assert acc.maximize and acc.name == "ofa-accuracy"


def test_tutorial_subnet(acc, lat):
    assert acc([TUTORIAL])[0].item() == pytest.approx(0.8171, abs=5e-5)
    assert lat([TUTORIAL])[0].item() == pytest.approx(24.73, abs=5e-3)


def test_default_lookup(data_file):
    p = data_file("ofa/acc_predictor.pth")
    assert OFAAccuracyPredictor().path == p


def test_batch_equals_per_item(acc):
    archs = SPACE.sample(64, generator=torch.Generator().manual_seed(1))
    batch = acc(archs)
    single = torch.cat([acc([a]) for a in archs])
    torch.testing.assert_close(batch, single, rtol=0, atol=1e-6)
    assert len(acc([])) == 0


def test_features_match_space(acc):
    space = get_space("mobilenetv3", resolutions=tuple(range(112, 225, 16)))
    archs = space.sample(200, generator=torch.Generator().manual_seed(2))
    assert torch.equal(ofa_features(archs), space.feature_vector(archs))
    assert torch.equal(acc.features(archs), space.feature_vector(archs))


def test_input_forms(acc):
    a = uniform(5, 4, 3, 176)
    raw = OFAArch((5,) * 20, (4,) * 20, (3,) * 5, 176)  # inactive blocks not canonical
    v = acc([a, str(a), a.to_dict(), raw])
    assert torch.all(v == v[0])
    with pytest.raises(ValueError, match="ks values"):
        acc([{"ks": [4] * 20, "e": [3] * 20, "d": [2] * 5, "r": [160]}])
    with pytest.raises(ValueError, match="r must be"):
        acc([OFAArch((3,) * 20, (3,) * 20, (2,) * 5, 100)])
    with pytest.raises(TypeError):
        acc([42])


def test_device_argument(acc_path):
    cpu = OFAAccuracyPredictor(acc_path, device="cpu")
    assert cpu.device == torch.device("cpu")
    assert OFAAccuracyPredictor(acc_path).device == torch.device("cpu")
    auto = OFAAccuracyPredictor(acc_path, device="auto")
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert auto.device.type == expected
    assert next(auto.model.parameters()).device.type == expected
    archs = SPACE.sample(32, generator=torch.Generator().manual_seed(3))
    out = auto(archs)
    assert out.device.type == "cpu" and out.dtype == torch.float64
    torch.testing.assert_close(out, cpu(archs), rtol=0, atol=1e-5)
    tdev = OFAAccuracyPredictor(acc_path, device=torch.device("cpu"))
    assert tdev.device == torch.device("cpu")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            OFAAccuracyPredictor(acc_path, device="cuda")


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_matches_cpu(acc_path):
    archs = SPACE.sample(256, generator=torch.Generator().manual_seed(6))
    gpu = OFAAccuracyPredictor(acc_path, device="cuda")
    assert next(gpu.model.parameters()).is_cuda
    out = gpu(archs)
    assert out.device.type == "cpu"
    torch.testing.assert_close(out, OFAAccuracyPredictor(acc_path)(archs), rtol=0, atol=1e-4)


# ----------------------------------------------------------------------------- bad files
def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        OFAAccuracyPredictor(tmp_path / "nope.pth")


def test_default_lookup_missing(tmp_path, monkeypatch):
    monkeypatch.setenv("EDNAG_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="EDNAG_DATA_DIR"):
        OFAAccuracyPredictor()
    (tmp_path / "ofa").mkdir()
    torch.save(fake_state(), tmp_path / "ofa" / "acc_predictor.pth")
    assert OFAAccuracyPredictor().path == tmp_path / "ofa" / "acc_predictor.pth"


def test_valid_fake_file(tmp_path):
    path = tmp_path / "ok.pth"
    torch.save(fake_state(), path)
    sd = load_ofa_state_dict(path)
    assert list(sd) == list(_LAYOUT)
    pred = OFAAccuracyPredictor(path)
    assert pred([uniform(3, 3, 2, 160)]).shape == (1,)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda p: p.write_bytes(b"this is not a torch file"), "not a readable torch"),
        (lambda p: p.write_bytes(b""), "not a readable torch"),
        (lambda p: _truncated(p), "not a readable torch"),
        (lambda p: torch.save(torch.zeros(3), p), "holds a Tensor"),
        (lambda p: torch.save(torch.nn.Linear(2, 2), p), "not a readable torch"),
        (lambda p: torch.save({**fake_state(), "8.weight": torch.zeros(1)}, p), "unexpected"),
        (lambda p: torch.save(_without("6.bias"), p), r"missing keys \['6.bias'\]"),
        (lambda p: torch.save(_with("2.weight", torch.zeros(400, 300)), p), "'2.weight' has"),
        (lambda p: torch.save(_with("0.bias", torch.zeros(400, dtype=torch.int64)), p), "float"),
        (lambda p: torch.save(_with("4.bias", torch.full((400,), float("nan"))), p), "NaN"),
        (lambda p: torch.save({"model": fake_state()}, p), "missing keys"),
    ],
)
def test_bad_files(tmp_path, make, match):
    path = tmp_path / "bad.pth"
    make(path)
    with pytest.raises(ValueError, match=match):
        OFAAccuracyPredictor(path)


def _without(key: str) -> dict:
    sd = fake_state()
    del sd[key]
    return sd


def _with(key: str, value: torch.Tensor) -> dict:
    return {**fake_state(), key: value}


def _truncated(path: Path) -> None:
    torch.save(fake_state(), path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


# ----------------------------------------------------------------------------- latency
def test_latency_sanity(lat):
    assert not lat.maximize and lat.resolutions == NOTE10_RESOLUTIONS
    prev_big, prev_small = 0.0, 0.0
    for r in NOTE10_RESOLUTIONS:
        big, small = lat([uniform(7, 6, 4, r), uniform(3, 3, 2, r)]).tolist()
        assert 5.0 < small < big < 150.0
        assert big > prev_big and small > prev_small  # grows with the resolution
        prev_big, prev_small = big, small
    mid = lat([uniform(5, 4, 3, 192)])[0].item()
    assert lat([uniform(3, 3, 2, 192)])[0] < mid < lat([uniform(7, 6, 4, 192)])[0]


def test_latency_monotone_per_block(lat):
    """Raising one block's kernel or expand ratio, or a stage's depth, never makes it faster."""
    g = torch.Generator().manual_seed(4)
    for a in NOTE10_SPACE.sample(20, generator=g):
        base = lat([a])[0].item()
        d = list(a.d)
        for s in range(5):
            if d[s] < 4:
                deeper = NOTE10_SPACE.canonicalize(
                    OFAArch(a.ks, a.e, tuple(d[:s] + [d[s] + 1] + d[s + 1 :]), a.r)
                )
                assert lat([deeper])[0].item() > base
        for b in range(20):
            if b % 4 < d[b // 4] and a.ks[b] < 7:
                ks = list(a.ks)
                ks[b] = 7
                assert lat([OFAArch(tuple(ks), a.e, a.d, a.r)])[0].item() >= base


def test_latency_batch_and_errors(lat, tmp_path):
    archs = NOTE10_SPACE.sample(50, generator=torch.Generator().manual_seed(5))
    torch.testing.assert_close(lat(archs), torch.cat([lat([a]) for a in archs]))
    assert lat.latency(archs[0]) == pytest.approx(lat(archs[:1])[0].item())
    with pytest.raises(ValueError, match="resolution 128"):
        lat([uniform(3, 3, 2, 128)])
    with pytest.raises(FileNotFoundError, match="resolution"):
        OFALatency(lat.table_dir, resolutions=(144,))
    with pytest.raises(FileNotFoundError):
        OFALatency(tmp_path / "missing")
    # a table without one of the needed layers
    src = (lat.table_dir / "160_lookup_table.yaml").read_text().splitlines()
    cut = next(i for i, line in enumerate(src) if line.startswith("Logits"))
    (tmp_path / "160_lookup_table.yaml").write_text("\n".join(src[:cut] + src[cut + 4 :]))
    with pytest.raises(ValueError, match="Logits"):
        OFALatency(tmp_path)
    (tmp_path / "160_lookup_table.yaml").write_text("- just\n- a list\n")
    with pytest.raises(ValueError, match="not an OFA latency table"):
        OFALatency(tmp_path)


def test_latency_constrained(acc, lat):
    fit = LatencyConstrained(acc, lat, max_ms=25.0)
    assert fit.maximize
    archs = [uniform(3, 3, 2, 160), TUTORIAL, uniform(7, 6, 4, 224), uniform(7, 6, 4, 160)]
    v = fit(archs).tolist()
    a, ms = acc(archs).tolist(), lat(archs).tolist()
    assert v[0] == a[0] and v[1] == a[1]  # feasible: their accuracy
    assert v[2] < v[3] < 0  # infeasible: below all, ranked by how far over
    assert v[2] == pytest.approx(-(ms[2] - 25.0) / 25.0)
    with pytest.raises(ValueError):
        LatencyConstrained(lat, acc, 25.0)


# ----------------------------------------------------------------------------- search
def test_generate_beats_random(acc):
    """A short EDNAG run (population 50, 500 queries) beats 500 random subnets."""
    gains = []
    for seed in range(3):
        res = generate("mobilenetv3", CachedFitness(acc), popsize=50, max_queries=500, seed=seed)
        assert res.unique_queries >= 500
        rand = SPACE.sample(500, generator=torch.Generator().manual_seed(100 + seed))
        gains.append(res.best_fitness - acc(rand).max().item())
    assert statistics.median(gains) > 0
