"""Official NAS-Bench-201 (.pth) and NATS-Bench topology (.pickle.pbz2, -simple dir) readers,
tested on small files built here in the layout written by nas_201_api / nats_bench."""

from __future__ import annotations

import bz2
import math
import pickle

import numpy as np
import pytest
import torch

from ednag_opt.fitness import NB201Fitness, load_nb201_official
from ednag_opt.fitness.nb201_encoding import arch_str_from_code

ARCHS = [arch_str_from_code(c) for c in ("000000", "333333", "123401", "444444")]
# per arch (only 0..2 evaluated), per seed: accuracy offset; seeds differ per arch
SEEDS = {0: [777], 1: [777, 888], 2: [777, 888, 999]}
SETS = {
    "cifar10-valid": ("x-valid", "ori-test"),
    "cifar10": ("ori-test",),
    "cifar100": ("x-valid", "x-test", "ori-test"),
    "ImageNet16-120": ("x-valid", "x-test", "ori-test"),
}
BASE = {"cifar10-valid": 80.0, "cifar10": 90.0, "cifar100": 60.0, "ImageNet16-120": 30.0}
SET_SHIFT = {"x-valid": 0.0, "x-test": 1.0, "ori-test": 2.0}


def acc(i: int, dataset: str, setname: str, seed: int, epochs: int) -> float:
    return BASE[dataset] + SET_SHIFT[setname] + 3.0 * i + (seed - 777) / 111 + epochs / 1000


def results_count(i: int, dataset: str, seed: int, epochs: int) -> dict:
    """State dict of a ResultsCount (nas_201_api / nats_bench)."""
    acc1, loss, times = {}, {}, {}
    for setname in SETS[dataset]:
        for e in range(epochs):
            final = acc(i, dataset, setname, seed, epochs)
            acc1[f"{setname}@{e}"] = final - (epochs - 1 - e) * 0.5  # last epoch = final
            loss[f"{setname}@{e}"] = 1.0
            times[f"{setname}@{e}"] = 0.1
    return {
        "name": f"{dataset}-{seed}",
        "net_state_dict": None,
        "train_acc1es": {e: 50.0 for e in range(epochs)},
        "train_acc5es": None,
        "train_losses": {e: 1.0 for e in range(epochs)},
        "train_times": {e: 1.0 for e in range(epochs)},
        "arch_config": {"channel": 16, "num_cells": 5, "arch_str": ARCHS[i], "class_num": 10},
        "params": 0.1 * (i + 1),
        "flop": 10.0 * (i + 1),
        "seed": seed,
        "epochs": epochs,
        "latency": [0.01],
        "eval_names": list(SETS[dataset]),
        "eval_acc1es": acc1,
        "eval_times": times,
        "eval_losses": loss,
    }


def arch_results(i: int, epochs: int) -> dict:
    """State dict of an ArchResults."""
    all_results, dataset_seed = {}, {}
    for dataset in SETS:
        dataset_seed[dataset] = list(SEEDS[i])
        for s in SEEDS[i]:
            all_results[(dataset, s)] = results_count(i, dataset, s, epochs)
    return {
        "arch_index": i,
        "arch_str": ARCHS[i],
        "all_results": all_results,
        "dataset_seed": dataset_seed,
        "clear_net_done": True,
    }


def hp_map(i: int, nats: bool) -> dict:
    # small epoch counts keep the fixture tiny; the reader uses each record's "epochs"
    short, full = arch_results(i, 3), arch_results(i, 5)
    return {"12": short, "200": full} if nats else {"less": short, "full": full}


def benchmark_dict(nats: bool) -> dict:
    return {
        "meta_archs": list(ARCHS),
        "arch2infos": {i: hp_map(i, nats) for i in SEEDS},
        "evaluated_indexes": sorted(SEEDS),
    }


def write_pbz2(obj, path):
    with bz2.BZ2File(path, "wb") as fh:
        pickle.dump(obj, fh, protocol=4)


@pytest.fixture
def nb201_pth(tmp_path):
    path = tmp_path / "NAS-Bench-201-v1_1-096897.pth"
    torch.save(benchmark_dict(nats=False), path)
    return path


@pytest.fixture
def nats_file(tmp_path):
    path = tmp_path / "NATS-tss-v1_0-3ffb9.pickle.pbz2"
    write_pbz2(benchmark_dict(nats=True), path)
    return path


@pytest.fixture
def nats_dir(tmp_path):
    root = tmp_path / "NATS-tss-v1_0-3ffb9-simple"
    root.mkdir()
    write_pbz2({"meta_archs": list(ARCHS), "total_archs": len(ARCHS)}, root / "meta.pickle.pbz2")
    for i in SEEDS:
        write_pbz2(hp_map(i, nats=True), root / f"{i:06d}.pickle.pbz2")
    return root


def expected(i: int, which: str, dataset: str, epochs: int = 5) -> float:
    key = {
        ("val", "cifar10"): ("cifar10-valid", "x-valid"),
        ("test", "cifar10"): ("cifar10", "ori-test"),
        ("val", "cifar100"): ("cifar100", "x-valid"),
        ("test", "cifar100"): ("cifar100", "x-test"),
        ("val", "ImageNet16-120"): ("ImageNet16-120", "x-valid"),
        ("test", "ImageNet16-120"): ("ImageNet16-120", "x-test"),
    }[(which, dataset)]
    return float(np.mean([acc(i, *key, s, epochs) for s in SEEDS[i]]))


@pytest.fixture(params=["nb201_pth", "nats_file", "nats_dir", "dict"])
def source(request):
    if request.param == "dict":
        return benchmark_dict(nats=True)
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize("dataset", ["cifar10", "cifar100", "ImageNet16-120"])
def test_val_and_test_read_at_last_epoch_seed_mean(source, dataset):
    f = NB201Fitness(dataset, source=source, allow_partial=True)
    vals = f(ARCHS[:3]).tolist()
    tests = f.test_accuracy(ARCHS[:3]).tolist()
    for i in range(3):
        assert vals[i] == pytest.approx(expected(i, "val", dataset))
        assert tests[i] == pytest.approx(expected(i, "test", dataset))
    # the unevaluated architecture is known but has no value
    assert math.isnan(f([ARCHS[3]]).item())
    opt = f.optimum()
    assert opt.arch == ARCHS[2] and opt.index == 2


def test_twelve_epoch_schedule(source):
    f = NB201Fitness("cifar100", source=source, allow_partial=True, hp="12")
    assert f([ARCHS[1]]).item() == pytest.approx(expected(1, "val", "cifar100", epochs=3))


def test_costs_and_per_seed_noise(source):
    f = NB201Fitness("cifar10", source=source, allow_partial=True, noisy=True, seed=0)
    assert f.query(ARCHS[:3], "flops").tolist() == pytest.approx([10.0, 20.0, 30.0])
    assert f.metrics["params"] is False
    draws = f([ARCHS[2]] * 300).numpy()
    allowed = [acc(2, "cifar10-valid", "x-valid", s, 5) for s in SEEDS[2]]
    assert set(np.round(draws, 9)) == set(np.round(allowed, 9))  # every seed gets drawn
    g = NB201Fitness("cifar10", source=source, allow_partial=True, noisy=True, seed=0)
    assert np.array_equal(g([ARCHS[2]] * 300).numpy(), draws)


def test_pth_loads_with_safe_torch_loader(nb201_pth):
    doc = torch.load(nb201_pth, weights_only=True)
    assert set(doc) == {"meta_archs", "arch2infos", "evaluated_indexes"}


def test_table_indices_follow_meta_archs(nats_file):
    t = load_nb201_official(nats_file, "cifar10", allow_partial=True)
    assert t.archs == ARCHS and list(t.indices) == [0, 1, 2, 3]
    assert t.per_seed["val"].shape == (4, 3)


def test_bad_inputs(tmp_path, nats_dir):
    with pytest.raises(ValueError, match="missing key 'arch2infos'"):
        load_nb201_official({"meta_archs": ARCHS}, "cifar10")
    with pytest.raises(ValueError, match="hp="):
        NB201Fitness("cifar10", source=benchmark_dict(nats=True), hp="90")
    with pytest.raises(FileNotFoundError):
        load_nb201_official(tmp_path / "missing.pth", "cifar10")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(FileNotFoundError, match="meta.pickle.pbz2"):
        load_nb201_official(empty, "cifar10")
    with pytest.raises(ValueError, match="unknown NAS-Bench-201 dataset"):
        load_nb201_official(nats_dir, "svhn")
