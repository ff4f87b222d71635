"""Row and problem selection of the black-box suite (benchmarks/_mo_suites.py, #16)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _mo_suites as ms  # noqa: E402


def test_only_and_problems_select_rows_and_the_short_names_resolve(one_thread):
    rows = ms.run_blackbox([0], evals=200, pop=20, only=["niche", "nsga2"],
                           problems=["zdt1"])  # fmt: skip
    assert {(r["problem"], r["method"]) for r in rows} == {("zdt1", ms.NICHE),
                                                           ("zdt1", "nsga2")}  # fmt: skip
    assert all(0.0 <= r["hv"] <= 1.1 for r in rows)
    with pytest.raises(ValueError, match="unknown black-box problem"):
        ms.run_blackbox([0], evals=200, pop=20, problems=["zdt9"])


def test_held_out_problems_run_with_a_reference_point_from_their_front(one_thread):
    """WFG4's front spans (0..2, 0..4): the reference point is 1.1 times that, so a run's
    ratio lies in (0, 1.1]; the reflect alias selects the session-7 preset's row."""
    assert not set(ms.HELDOUT) & set(ms.BLACKBOX)
    rows = ms.run_blackbox([0], evals=400, pop=20, only=["ednag", "reflect"],
                           problems=["wfg4"])  # fmt: skip
    assert [r["method"] for r in rows] == ["ednag", ms.REFLECT]
    assert all(0.0 < r["hv"] <= 1.1 for r in rows)


def test_ofa_rows_of_several_files_are_scored_against_one_pooled_front():
    rng = np.random.default_rng(0)

    def run(method, seed):  # a random (accuracy, latency) front of each budget
        fronts = {b: [(f"{method}{seed}-{i}", [float(a), float(c)])
                      for i, (a, c) in enumerate(rng.uniform(size=(6, 2)))]
                  for b in (100, 200)}  # fmt: skip
        return {"method": method, "seed": seed, "fronts": fronts}

    runs = [run(m, s) for m in ("a", "b") for s in (0, 1)]
    together = ms._score_ofa(runs, [100, 200])
    apart = ms._score_ofa(runs[:2], [100, 200]) + ms._score_ofa(runs[2:], [100, 200])
    assert [r["hv@200"] for r in apart] != [r["hv@200"] for r in together]  # own references
    pooled = ms.rescore_ofa(apart, [100, 200])
    assert [(r["hv@100"], r["recovered@200"]) for r in pooled] == [
        (r["hv@100"], r["recovered@200"]) for r in together]
    assert ms.rescore_ofa([{k: v for k, v in apart[0].items() if k != "fronts"}], [100]) is None


def test_nb201_cell_scores_cells_and_distinct_networks(data_file):
    data_file("nasbench201/hw_cifar100.csv")
    import bench_multiobjective as bm

    cell = bm.Cell("cifar100", "raspi4_latency")
    assert len(cell.front_keys) == 47 and len(cell.front_nets) == 30
    # 5 front cells are non-dominated only by float noise (chance accuracy to 1e-9)
    assert cell.front_keys_tied < cell.front_keys and len(cell.front_keys_tied) == 42

    class Res:  # the two things Cell.score reads of a SearchResult
        def __init__(self, archs):
            self.queries = [(a, 0.0) for a in archs]

        def pareto_front(self, budget):
            return []

    space, front = cell.space, [cell.space.from_str(k) for k in sorted(cell.front_keys)]
    one_each = list({space.prune(a).key: a for a in front}.values())
    got = cell.score(Res(one_each), 1000)
    assert got["networks"] == 1.0 and got["recovered"] == pytest.approx(30 / 47)
    tied = [space.from_str(k) for k in sorted(cell.front_keys_tied)]
    assert cell.score(Res(tied), 1000)["recovered_tied"] == 1.0
    assert cell.score(Res(tied), 1000)["recovered"] == pytest.approx(42 / 47)
    assert cell.score(Res(front[:1]), 1000)["networks"] == pytest.approx(1 / 30)
