"""Task registry and fixed, disjoint splits."""

from __future__ import annotations

import gzip

import numpy as np
import pytest

from ednag_opt.training import tasks as tasks_mod
from ednag_opt.training.tasks import get_task, list_tasks


def test_registry() -> None:
    names = list_tasks()
    assert len(names) >= 10
    held = list_tasks(held_out=True)
    assert held and set(held) < set(names)
    assert set(list_tasks(held_out=False)) == set(names) - set(held)
    with pytest.raises(KeyError):
        get_task("nope")


@pytest.mark.parametrize("name", ["digits_all", "digits_3v5v8", "digits_parity"])
def test_splits_disjoint_fixed_and_shaped(name: str) -> None:
    task = get_task(name)
    d = task.load()
    tr, va, te = (set(d.indices[k]) for k in ("train", "val", "test"))
    assert not (tr & va or tr & te or va & te)
    n = len(tr) + len(va) + len(te)
    assert abs(len(tr) / n - 0.6) < 0.02 and abs(len(te) / n - 0.2) < 0.02
    assert d.x_train.shape[1:] == (task.channels, *task.image_size) == (1, 8, 8)
    assert set(d.y_train.tolist()) == set(range(task.num_classes))
    assert abs(float(d.x_train.mean())) < 1e-4
    again = get_task(name).load()
    assert np.array_equal(again.indices["val"], d.indices["val"])
    other = get_task(name, seed=1).load()
    assert not np.array_equal(other.indices["val"], d.indices["val"])
    assert (
        set(other.indices["train"]) | set(other.indices["val"]) | set(other.indices["test"])
        == tr | va | te
    )


def test_mnist5k_reader_on_fixture(tmp_path, monkeypatch) -> None:
    rng = np.random.default_rng(0)
    rows = [np.r_[rng.integers(0, 256, 784), k % 10] for k in range(100)]
    path = tmp_path / "mnist_5k.csv.gz"
    with gzip.open(path, "wt") as fh:
        np.savetxt(fh, np.array(rows), fmt="%d", delimiter=",")
    monkeypatch.setattr(tasks_mod, "mnist5k_path", lambda: path)
    tasks_mod._read_source.cache_clear()
    tasks_mod._load.cache_clear()
    try:
        assert "mnist5k_all" in list_tasks()
        task = get_task("mnist5k_0to4")
        d = task.load()
        assert task.image_size == (14, 14) and d.x_train.shape[1:] == (1, 14, 14)
        assert len(d.y_train) + len(d.y_val) + len(d.y_test) == 50
    finally:
        tasks_mod._read_source.cache_clear()
        tasks_mod._load.cache_clear()
