"""The meta-training table parser shared by the transferable predictor and its benchmark."""

import pytest

from ednag_opt.fitness.predictors import read_meta_table, task_arch_targets
from ednag_opt.training.tasks import HELD_OUT


def test_csv_comments_and_averaging(tmp_path):
    path = tmp_path / "meta.csv"
    held = sorted(HELD_OUT)[0]
    path.write_text(
        "# command: test\ntask,arch,val_acc\n"
        f"t1,a,0.5\nt1,a,0.7\nt1,b,0.1\nt2,a,0.9\n{held},a,0.3\n"
    )
    assert [r["task"] for r in read_meta_table(path)] == ["t1", "t1", "t1", "t2", held]
    table = task_arch_targets(path)  # held-out tasks dropped by default
    assert table == {"t1": {"a": pytest.approx(0.6), "b": 0.1}, "t2": {"a": 0.9}}
    assert task_arch_targets(path, tasks=[held]) == {held: {"a": 0.3}}
    triples = task_arch_targets([("x", "a", 1.0), ("x", "a", 3.0)], tasks=["x"])
    assert triples == {"x": {"a": 2.0}}


def test_bad_task_lists(tmp_path):
    rows = [{"task": "t1", "arch": "a", "val_acc": "0.5"}]
    with pytest.raises(ValueError, match="no rows for tasks"):
        task_arch_targets(rows, tasks=["t9"])
    with pytest.raises(ValueError, match="no training tasks"):
        task_arch_targets(rows, tasks=[])
    with pytest.raises(KeyError):
        task_arch_targets(rows, target="test_acc")
