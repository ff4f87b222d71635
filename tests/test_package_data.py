"""Run-time data files ship inside the package: a built wheel holds them and an installed
copy (not the clone) finds them through importlib.resources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ednag_opt import resources

ROOT = Path(__file__).resolve().parents[1]
NEEDED = {resources.TRANSFERABLE_MODEL, resources.META_TABLE}


def test_bundled_files_are_found_and_listed():
    assert NEEDED <= set(resources.list_bundled())
    assert resources.transferable_model_path().stat().st_size > 100_000
    assert resources.meta_table_path().read_text().startswith("# command:")
    with pytest.raises(FileNotFoundError, match="no bundled data file 'models/x.pt'"):
        resources.bundled_file("models/x.pt")


def test_pretrained_predictor_and_meta_table_load():
    from ednag_opt.fitness.predictors import TransferablePredictor, task_arch_targets

    pred = TransferablePredictor.pretrained()
    assert pred.tasks_ and pred.params["space"] == "nas-bench-201"
    assert len(task_arch_targets(resources.meta_table_path())) == len(pred.tasks_)


def test_truncated_model_file_names_the_file(tmp_path):
    from ednag_opt.fitness.predictors import TransferablePredictor

    bad = tmp_path / "model.pt"
    bad.write_bytes(resources.transferable_model_path().read_bytes()[:1000])
    with pytest.raises(ValueError, match=r"model\.pt: unreadable"):
        TransferablePredictor.load(bad)


def test_wheel_ships_data_and_installed_copy_finds_it(tmp_path):
    """``pip wheel .`` (no build isolation: offline) of a copy of the project (so nothing is
    built inside the clone), then import from the unpacked wheel."""
    proj = tmp_path / "proj"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(ROOT / "src", proj / "src", ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, proj / name)
    out = tmp_path / "wheel"
    cmd = [sys.executable, "-m", "pip", "wheel", str(proj), "--no-deps", "--no-build-isolation",
           "-q", "-w", str(out)]  # fmt: skip
    run = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    (wheel,) = out.glob("ednag_opt-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        assert {f"ednag_opt/data/{rel}" for rel in NEEDED} <= names
        site = tmp_path / "site"
        zf.extractall(site)
    code = (
        "import ednag_opt, ednag_opt.resources as r; "
        "print(ednag_opt.__file__); print(r.transferable_model_path()); print(r.meta_table_path())"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "EDNAG_DATA_DIR": str(tmp_path / "none")}
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.split()
    assert all(line.startswith(str(site)) for line in lines), lines
