"""CachedFitness: deduplication, counting, history, NaN, persistence."""

from __future__ import annotations

import json
import math

import pytest
import torch

from ednag_opt.fitness import CachedFitness, as_fitness


class Recorder:
    """Batched fitness that records every batch it receives."""

    def __init__(self, values=None, maximize=True):
        self.batches: list[list[str]] = []
        self.values = values or {}
        self.maximize = maximize

    def __call__(self, archs):
        keys = [str(a) for a in archs]
        self.batches.append(keys)
        return [self.values.get(k, float(len(k))) for k in keys]


def test_batch_dedup_single_call_and_counts():
    rec = Recorder()
    f = CachedFitness(rec)
    out = f(["a", "bb", "a", "ccc", "bb"])
    assert out.dtype == torch.float64
    assert out.tolist() == [1.0, 2.0, 1.0, 3.0, 2.0]
    assert rec.batches == [["a", "bb", "ccc"]]  # one call, unseen only, first-seen order
    assert f.total_queries == 5
    assert f.unique_queries == 3
    assert f.evaluations == 3


def test_second_batch_only_evaluates_new_archs():
    rec = Recorder()
    f = CachedFitness(rec)
    f(["a", "bb"])
    f(["bb", "dddd", "a"])
    assert rec.batches == [["a", "bb"], ["dddd"]]
    f(["a", "bb"])
    assert len(rec.batches) == 2  # fully cached batch: no call at all
    assert (f.total_queries, f.unique_queries, f.evaluations) == (7, 3, 3)


def test_history_keeps_first_query_order():
    f = CachedFitness(Recorder())
    f(["ccc", "a"])
    f(["a", "bb", "ccc"])
    assert f.history == [("ccc", 3.0), ("a", 1.0), ("bb", 2.0)]
    assert f.best() == ("ccc", 3.0)
    assert f.queries_to_reach(2.0) == 1
    assert f.queries_to_reach(4.0) is None


def test_queries_to_reach_when_minimising():
    f = CachedFitness(Recorder(), maximize=False)
    f(["ccc", "bb", "a"])
    assert f.best() == ("a", 1.0)
    assert f.queries_to_reach(1.0) == 3
    assert f.queries_to_reach(2.0) == 2


def test_objects_keyed_by_str_and_custom_key():
    class A:
        def __init__(self, s):
            self.s = s

        def __str__(self):
            return self.s

    rec = Recorder()
    f = CachedFitness(rec)
    f([A("x"), A("x"), "x"])
    assert rec.batches == [["x"]]
    # canonical key: case-insensitive architectures are the same
    rec2 = Recorder()
    g = CachedFitness(rec2, key=lambda a: str(a).lower())
    g(["Ab", "aB", "ab"])
    assert rec2.batches == [["Ab"]]
    assert g.unique_queries == 1


def test_nan_is_cached_and_not_reevaluated():
    rec = Recorder(values={"bad": math.nan})
    f = CachedFitness(rec)
    out = f(["bad", "ok"])
    assert math.isnan(out[0]) and out[1] == 2.0
    out2 = f(["bad"])
    assert math.isnan(out2[0])
    assert rec.batches == [["bad", "ok"]]
    assert f.best() == ("ok", 2.0)  # NaN ignored
    f.forget(["bad"])
    f(["bad"])
    assert rec.batches[-1] == ["bad"]


def test_reset_counts_keeps_values():
    rec = Recorder()
    f = CachedFitness(rec)
    f(["a", "bb"])
    f.reset_counts()
    assert (f.total_queries, f.unique_queries, f.evaluations, f.history) == (0, 0, 0, [])
    f(["a"])
    assert len(rec.batches) == 1  # still cached
    assert (f.total_queries, f.unique_queries, f.evaluations) == (1, 1, 0)
    f.clear()
    f(["a"])
    assert len(rec.batches) == 2


def test_save_load_round_trip(tmp_path):
    rec = Recorder(values={"nan": math.nan, "inf": math.inf})
    f = CachedFitness(rec, name="rec")
    f(["a", "bb", "nan", "inf", "a"])
    path = f.save(tmp_path / "sub" / "cache.json")
    doc = json.loads(path.read_text())  # strict JSON: no bare NaN / Infinity
    assert doc["values"]["nan"] == "nan" and doc["values"]["inf"] == "inf"

    rec2 = Recorder()
    g = CachedFitness(rec2)
    assert g.load(path) == 4
    out = g(["a", "bb", "nan", "inf"])
    assert rec2.batches == []  # everything came from the file
    assert out[:2].tolist() == [1.0, 2.0]
    assert math.isnan(out[2]) and out[3] == math.inf
    assert g.unique_queries == 4 and g.evaluations == 0

    h = CachedFitness(Recorder())
    h.load(path, restore_counts=True)
    assert h.total_queries == 5 and h.unique_queries == 4 and h.evaluations == 4
    assert h.history[0] == ("a", 1.0) and math.isnan(h.history[2][1])


def test_load_rejects_other_direction_and_other_files(tmp_path):
    f = CachedFitness(Recorder())
    f(["a"])
    path = f.save(tmp_path / "c.json")
    g = CachedFitness(Recorder(), maximize=False)
    with pytest.raises(ValueError, match="maximize"):
        g.load(path)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"values": {}}))
    with pytest.raises(ValueError, match="not a CachedFitness file"):
        f.load(bad)


def test_source_output_validated():
    f = CachedFitness(lambda archs: [1.0])
    with pytest.raises(ValueError, match="expected"):
        f(["a", "b"])


def test_attributes_forwarded_and_lookup():
    src = as_fitness(lambda archs: [0.5] * len(archs), maximize=False, name="cost")
    f = CachedFitness(src)
    assert f.name == "cost" and f.maximize is False and f.source is src
    assert "a" not in f
    f(["a"])
    assert "a" in f and len(f) == 1
    looked = f.lookup(["a", "zz"])
    assert looked[0] == 0.5 and math.isnan(looked[1])
    assert f.total_queries == 1  # lookup does not count


def test_cached_nb201_like_source_metric_passthrough():
    class Src:
        maximize = True

        def __call__(self, archs):
            return [1.0] * len(archs)

    f = CachedFitness(Src())
    assert f.query(["a"]).tolist() == [1.0]
    with pytest.raises(KeyError):
        f.query(["a"], "latency")
