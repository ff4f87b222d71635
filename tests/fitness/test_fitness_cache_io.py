"""CachedFitness files: atomic saves (ednag_opt._io) and clear errors on malformed files."""

from __future__ import annotations

import json
import os

import pytest

from ednag_opt._io import atomic_open, atomic_write
from ednag_opt.fitness import CachedFitness


def _cache(values=(1.0, 2.0)) -> CachedFitness:
    c = CachedFitness(lambda archs: [float(len(a)) for a in archs], maximize=True, name="len")
    c(["a" * int(v) for v in values])
    return c


def test_interrupted_save_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "cache.json"
    _cache().save(path)
    good = path.read_text()

    def crash(fd):
        raise OSError("disk full")

    bigger = _cache((1.0, 2.0, 3.0, 4.0))
    monkeypatch.setattr(os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        bigger.save(path)
    assert path.read_text() == good  # not truncated, not half-written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache.json"]  # no temp left
    monkeypatch.undo()
    fresh = _cache(())
    assert fresh.load(path) == 2


def test_failed_rename_keeps_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "cache.json"
    _cache().save(path)
    good = path.read_text()
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(OSError("no rename")))
    with pytest.raises(OSError, match="no rename"):
        _cache((5.0,)).save(path)
    assert path.read_text() == good
    assert len(list(tmp_path.iterdir())) == 1


def test_atomic_write_helpers(tmp_path):
    p = atomic_write(tmp_path / "sub" / "f.txt", "héllo")
    assert p.read_text(encoding="utf-8") == "héllo"
    os.chmod(p, 0o600)
    atomic_write(p, b"\x00\x01")
    assert p.read_bytes() == b"\x00\x01" and (p.stat().st_mode & 0o777) == 0o600
    with pytest.raises(RuntimeError), atomic_open(p, "w") as fh:
        fh.write("partial")
        raise RuntimeError("interrupted")
    assert p.read_bytes() == b"\x00\x01"
    with pytest.raises(ValueError, match="modes"):
        with atomic_open(p, "a"):
            pass


def _doc(tmp_path, **changes) -> object:
    path = tmp_path / "c.json"
    _cache().save(path)
    doc = json.loads(path.read_text())
    for k, v in changes.items():
        if v is None:
            doc.pop(k)
        else:
            doc[k] = v
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"values": None}, "'values' must be an object"),
        ({"values": [1, 2]}, "'values' must be an object"),
        ({"values": {"a": "abc"}}, "malformed value of key 'a'"),
        ({"values": {"a": [1]}}, "malformed value of key 'a'"),
        ({"history": [["a"]]}, "malformed history entry 0"),
        ({"history": {"a": 1}}, "'history' must be a list"),
        ({"total_queries": "many"}, "malformed 'total_queries'"),
        ({"version": 99}, "unsupported CachedFitness version"),
        ({"errors": ["boom"]}, "'errors' must map keys to text"),
    ],
)
def test_malformed_cache_file_is_a_clear_value_error(tmp_path, changes, message):
    path = _doc(tmp_path, **changes)
    c = _cache(())
    with pytest.raises(ValueError, match=message) as err:
        c.load(path, restore_counts=True)
    assert str(path) in str(err.value)
    assert len(c) == 0  # nothing half-loaded


def test_evaluation_errors_survive_save_and_load(tmp_path):
    c = _cache()
    c.errors["aaa"] = "ValueError: cannot evaluate (after 3 attempts)"
    c.save(tmp_path / "c.json")
    fresh = _cache(())
    fresh.load(tmp_path / "c.json")
    assert fresh.errors == {"aaa": "ValueError: cannot evaluate (after 3 attempts)"}
    old = _doc(tmp_path, errors=None)  # a file of an earlier version has no "errors"
    assert _cache(()).load(old) == 2


def test_truncated_or_non_json_cache_file(tmp_path):
    path = tmp_path / "c.json"
    _cache().save(path)
    path.write_text(path.read_text()[:30])
    with pytest.raises(ValueError, match=r"c\.json is not a CachedFitness file: invalid JSON"):
        _cache(()).load(path)
    path.write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match="not UTF-8"):
        _cache(()).load(path)
