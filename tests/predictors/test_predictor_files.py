"""Malformed predictor files and meta tables raise errors naming the file (and row, column)."""

from __future__ import annotations

import pytest
import torch

from ednag_opt.fitness import TableFormatError
from ednag_opt.fitness.predictors import ArchSurrogate, read_meta_table, task_arch_targets
from ednag_opt.fitness.predictors.ofa_latency import _read_table
from ednag_opt.spaces import get_space


def test_surrogate_file_truncated_or_malformed(tmp_path, one_thread):
    space = get_space("nas-bench-201")
    archs = space.sample(16, generator=torch.Generator().manual_seed(0))
    model = ArchSurrogate("nas-bench-201", n_models=2, epochs=5).fit(archs, torch.rand(16))
    path = model.save(tmp_path / "s.pt")
    assert ArchSurrogate.load(path).n_train_ == 16
    cut = tmp_path / "cut.pt"
    cut.write_bytes(path.read_bytes()[:500])
    with pytest.raises(ValueError, match=r"cut\.pt: unreadable"):
        ArchSurrogate.load(cut)
    doc = torch.load(path, weights_only=True)
    del doc["n_in"]
    torch.save(doc, tmp_path / "bad.pt")
    with pytest.raises(ValueError, match=r"bad\.pt: malformed ArchSurrogate file \(KeyError"):
        ArchSurrogate.load(tmp_path / "bad.pt")


def test_ofa_latency_table_with_infinite_mean(tmp_path):
    pytest.importorskip("yaml")
    table = tmp_path / "160_lookup_table.yaml"
    table.write_text("Conv-input:160x160x3:\n  mean: .inf\n  std: 0.1\n")
    with pytest.raises(ValueError, match=r"160_lookup_table\.yaml: entry 'Conv-input.*non-finite"):
        _read_table(table)


def test_meta_table_errors_name_file_line_column(tmp_path):
    path = tmp_path / "meta.csv"
    path.write_text("# comment\ntask,arch,val_acc\nt1,a,0.5\nt1,b,inf\n")
    with pytest.raises(TableFormatError, match=r"meta\.csv, line 4, column 'val_acc'.*infinite"):
        task_arch_targets(path, tasks=["t1"])
    path.write_text("# comment\ntask,arch,val_acc\nt1,a,0.5\nt1,b,zero\n")
    with pytest.raises(TableFormatError, match=r"line 4, column 'val_acc'.*not a number"):
        task_arch_targets(path, tasks=["t1"])
    path.write_text("# comment\ntask,arch,val_acc\nt1,a,0.5\nt1,b\n")
    with pytest.raises(TableFormatError, match=r"meta\.csv, line 4: 2 fields where the header"):
        read_meta_table(path)
    path.write_text("task,arch,val_acc\nt1,a,0.5\nt1,b,0.4")  # cut: no final newline
    with pytest.raises(TableFormatError, match=r"line 3: the file ends inside this row"):
        read_meta_table(path)
    path.write_text("task,val_acc\nt1,0.5\n")
    with pytest.raises(TableFormatError, match=r"no columns \['arch'\]"):
        read_meta_table(path)
    path.write_text("task,arch,val_acc\nt1,a,0.5\n")
    with pytest.raises(TableFormatError, match="no column 'test_acc'"):
        task_arch_targets(path, target="test_acc", tasks=["t1"])
    path.write_text("")
    with pytest.raises(TableFormatError, match="empty file"):
        read_meta_table(path)
