"""TransNAS-Bench-101: CSV optima and directions, the official .pth layout (fixture), errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ednag_opt.fitness import TNB_TASKS, TNB_VALID_METRIC, TransNASFitness, load_transnas_csv
from ednag_opt.fitness.transnas import metric_direction

MICRO_MAX = {
    "class_scene": 54.94,
    "class_object": 45.59,
    "jigsaw": 95.37,
    "room_layout": -0.601,
    "segmentsemantic": 94.61,
    "normal": 0.5873,
    "autoencoder": 0.5772,
}
MACRO_MAX = {
    "class_scene": 57.41,
    "class_object": 47.42,
    "jigsaw": 97.02,
    "room_layout": -0.582,
    "segmentsemantic": 94.86,
    "normal": 0.6435,
    "autoencoder": 0.7488,
}


def _tol(v: float) -> float:
    return 0.5 * 10 ** -(len(str(v).split(".")[1]))  # half a unit of the last printed digit


@pytest.mark.parametrize(("space", "maxima"), [("micro", MICRO_MAX), ("macro", MACRO_MAX)])
def test_csv_optima_per_task(data_file, space, maxima):
    path = data_file(f"transnas-bench-101/tnb101_{space}_val_final.csv")
    for task, best in maxima.items():
        f = TransNASFitness(task, space, source=path)
        assert f.maximize is True
        opt = f.optimum()
        assert opt.value == pytest.approx(best, abs=_tol(best)), task
        assert f([opt.arch]).item() == opt.value


def test_csv_sizes_and_arch_formats(data_file):
    micro = load_transnas_csv("micro", data_file("transnas-bench-101/tnb101_micro_val_final.csv"))
    macro = load_transnas_csv("macro", data_file("transnas-bench-101/tnb101_macro_val_final.csv"))
    assert len(micro) == 4096 and len(macro) == 3256
    assert micro.archs[0].startswith("64-41414-") and macro.archs[0].endswith("-basic")
    assert set(micro.columns) == {f"{t}/{m}" for t, m in TNB_VALID_METRIC.items()}


def test_room_layout_negative_loss_is_maximised(data_file):
    path = data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    f = TransNASFitness("room_layout", "micro", source=path)
    vals = f(f.table.archs).numpy()
    assert (vals < 0).all() and f.maximize is True
    assert f.optimum().value == vals.max()


def test_other_task_metric_and_wrong_space_key(data_file):
    path = data_file("transnas-bench-101/tnb101_macro_val_final.csv")
    f = TransNASFitness("jigsaw", "macro", source=path)
    arch = f.optimum().arch
    assert f.query([arch], "normal/valid_ssim").item() <= 1.0
    with pytest.raises(KeyError, match="not in the TransNAS-Bench-101 macro"):
        f(["64-41414-1_02_333"])  # a micro string in the macro space


def test_auto_source_uses_data_dir(data_file):
    data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    f = TransNASFitness("segmentsemantic")
    assert f.search_space == "micro" and f.name == "tnb101-micro-segmentsemantic-valid_acc"


def test_errors(data_file):
    path = data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    with pytest.raises(ValueError, match=r"unknown TransNAS-Bench-101 task 'depth'.*class_scene"):
        TransNASFitness("depth", source=path)
    with pytest.raises(ValueError, match=r"space 'nano'.*micro.*macro"):
        TransNASFitness("jigsaw", "nano", source=path)
    with pytest.raises(ValueError, match=r"unknown metric 'test'.*valid_top1"):
        TransNASFitness("jigsaw", "micro", "test", source=path)
    with pytest.raises(ValueError, match="maximised"):
        TransNASFitness("jigsaw", source=path, maximize=False)


def test_metric_directions():
    assert metric_direction("valid_neg_loss") is True
    assert metric_direction("room_layout/valid_loss") is False
    assert metric_direction("valid_l1_loss") is False
    assert metric_direction("valid_ssim") is True
    assert metric_direction("valid_mIoU") is True
    assert metric_direction("inference_time") is False
    assert metric_direction("model_FLOPs") is False


# -- official transnas-bench_v10141024.pth layout ------------------------------------------
METRICS = {
    "class_scene": ["train_top1", "valid_top1", "valid_loss", "test_top1", "time_elapsed"],
    "class_object": ["valid_top1", "test_top1"],
    "jigsaw": ["valid_top1", "test_top1"],
    "room_layout": ["train_loss", "valid_loss", "valid_neg_loss", "test_neg_loss"],
    "segmentsemantic": ["valid_acc", "valid_mIoU", "test_acc"],
    "normal": ["valid_ssim", "valid_l1_loss", "test_ssim"],
    "autoencoder": ["valid_ssim", "test_ssim"],
}
INFO = ["inference_time", "encoder_params", "model_params", "model_FLOPs", "encoder_FLOPs"]
ARCHS = {"micro": ["64-41414-0_00_000", "64-41414-3_33_333"], "macro": ["64-1234-basic"]}


def curve(k: int, task: str, metric: str) -> list[float]:
    """Per-epoch values; the best epoch is in the middle, the last is final."""
    base = k + TNB_TASKS.index(task) + len(metric) / 10
    sign = 1.0 if metric_direction(metric) else -1.0
    return [base, base + sign * 2.0, base + sign * 1.0]  # final = base ± 1, best = base ± 2


def official_db() -> dict:
    data = {}
    for space, archs in ARCHS.items():
        data[space] = {}
        for k, arch in enumerate(archs):
            data[space][arch] = {
                task: {
                    "total_epochs": 3,
                    "model_info": {name: float(k + 1) for name in INFO},
                    "metrics": {m: curve(k, task, m) for m in metrics},
                }
                for task, metrics in METRICS.items()
            }
    return {
        "metrics_dict": METRICS,
        "info_names": INFO,
        "task_list": list(TNB_TASKS),
        "data": data,
    }


@pytest.fixture(params=["file", "dict"])
def official(request, tmp_path):
    if request.param == "dict":
        return official_db()
    path = tmp_path / "transnas-bench_v10141024.pth"
    torch.save(official_db(), path)
    return path


@pytest.mark.parametrize("task", TNB_TASKS)
def test_official_valid_and_test_final_epoch(official, task):
    f = TransNASFitness(task, "micro", source=official, allow_partial=True)
    valid, test = TNB_VALID_METRIC[task], TNB_VALID_METRIC[task].replace("valid_", "test_")
    assert f(ARCHS["micro"]).tolist() == [curve(k, task, valid)[-1] for k in range(2)]
    g = TransNASFitness(task, "micro", "test", source=official, allow_partial=True)
    assert g(ARCHS["micro"]).tolist() == [curve(k, task, test)[-1] for k in range(2)]
    assert f.optimum().arch == ARCHS["micro"][1]


def test_official_best_epoch_respects_direction(official):
    f = TransNASFitness(
        "room_layout", "micro", "valid_loss", source=official, epoch="best", allow_partial=True
    )
    assert f.maximize is False
    assert f(ARCHS["micro"]).tolist() == [
        min(curve(k, "room_layout", "valid_loss")) for k in (0, 1)
    ]
    g = TransNASFitness("class_scene", "micro", source=official, epoch="best", allow_partial=True)
    assert g(ARCHS["micro"]).tolist() == [
        max(curve(k, "class_scene", "valid_top1")) for k in (0, 1)
    ]


def test_official_model_info_and_macro(official):
    f = TransNASFitness("jigsaw", "macro", source=official, allow_partial=True)
    assert f(["64-1234-basic"]).item() == curve(0, "jigsaw", "valid_top1")[-1]
    assert f.query(["64-1234-basic"], "model_params").item() == 1.0
    assert f.metrics["jigsaw/model_params"] is False
    g = TransNASFitness(
        "segmentsemantic", "micro", "valid_mIoU", source=official, allow_partial=True
    )
    assert np.isfinite(g(ARCHS["micro"]).numpy()).all()


def test_official_missing_metric_is_nan_or_error(official):
    doc = official_db()
    del doc["data"]["micro"]["64-41414-0_00_000"]["jigsaw"]["metrics"]["test_top1"]
    f = TransNASFitness("jigsaw", "micro", "test", source=doc, allow_partial=True)
    assert math.isnan(f(["64-41414-0_00_000"]).item())
    with pytest.raises(ValueError, match="epoch"):
        TransNASFitness("jigsaw", source=official, epoch="last")
    with pytest.raises(ValueError, match="missing dict key 'data'"):
        TransNASFitness("jigsaw", source={"task_list": []})
