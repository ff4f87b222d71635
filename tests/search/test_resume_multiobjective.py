"""Checkpoint resume of a multi-objective search: every objective is replayed, none re-run."""

from __future__ import annotations

import json

import pytest

from ednag_opt import search
from ednag_opt.fitness import FunctionFitness

from .test_contract import _score


class Boom(RuntimeError):
    pass


def _objectives(log: list[str], fail_after: int | None = None):
    """Accuracy (maximised) and a *measured* latency (minimised) whose value depends on how
    many measurements were taken before it, as on a real device: re-measuring an
    architecture after a resume gives another value, so only a replay is bit-identical."""

    def acc(archs):
        if fail_after is not None and len(log) + len(archs) > fail_after:
            raise Boom("the machine died")
        log.extend(f"acc {a}" for a in archs)
        return [_score(a) for a in archs]

    def lat(archs):
        out = []
        for a in archs:
            out.append(1.0 + 0.5 * str(a).count("conv") + 1e-3 * len(log))
            log.append(f"lat {a}")
        return out

    return [FunctionFitness(acc, maximize=True, name="acc"),
            FunctionFitness(lat, maximize=False, name="lat")]  # fmt: skip


@pytest.mark.parametrize("name", ["ednag", "rea"])
def test_resumed_multiobjective_search_is_bit_identical_in_every_objective(name, tmp_path):
    kw = dict(max_queries=60, seed=5)
    full = search(name, "nas-bench-201", _objectives([]), **kw)
    ck = tmp_path / "ck.json"
    log: list[str] = []  # one device: its measurement count survives the crash
    with pytest.raises(Boom) as info:
        search(name, "nas-bench-201", _objectives(log, fail_after=50), checkpoint=ck, **kw)
    partial = info.value.partial_result
    assert 0 < partial.unique_queries < full.unique_queries
    doc = json.loads(ck.read_text())
    assert len(doc["objectives"]) == len(doc["queries"]) == partial.unique_queries
    done = {str(a) for a, _ in partial.queries}
    before = len(log)
    resumed = search(name, "nas-bench-201", _objectives(log), checkpoint=ck, **kw)
    assert [(str(a), v) for a, v in resumed.queries] == [(str(a), v) for a, v in full.queries]
    assert resumed.objectives == full.objectives
    assert resumed.pareto_front() == full.pareto_front()
    new = log[before:]
    assert not {c.split(" ", 1)[1] for c in new} & done  # no objective evaluated twice
    assert len(new) == 2 * (full.unique_queries - partial.unique_queries)
