"""The COCO measure of benchmarks/bench_bbob.py (``_bbob_report``) and its Recorder."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _bbob_report as rep  # noqa: E402


def _rec(method: str, fid: int, first_hits: int | None, n_hit: int, dim: int = 5) -> dict:
    """A run that reached its first ``n_hit`` targets at evaluation ``first_hits``."""
    hits = [first_hits] * n_hit + [None] * (51 - n_hit)
    return {"method": method, "fid": fid, "dim": dim, "instance": 1, "budget": 1000,
            "hits": hits, "seconds": 1.0}  # fmt: skip


def test_solved_counts_targets_reached_within_the_budget():
    runs = [_rec("ours", 20, 50, 51), _rec("ours", 20, 600, 17)]  # d = 5
    assert rep.solved(runs, 10).tolist() == [1.0, 0.0]  # 50 evaluations = 10·d: reached
    assert rep.solved(runs, 200).tolist() == [1.0, 17 / 51]
    assert rep.solved(runs, 9.9).tolist() == [0.0, 0.0]


def test_ratio_notes_count_budgets_ahead_and_behind():
    ours = [_rec("ours", f, 4000, 51) for f in (20, 21)]  # everything at 800·d
    cma = [_rec("cma", f, 20, 25) for f in (20, 21)]  # half the targets at 4·d
    (line,) = rep.ratio_notes(ours + cma, 5)
    grid = np.logspace(0, 3, 61)
    behind = int(((grid >= 4) & (grid < 800)).sum())
    assert line.startswith("- weak-structure: ours/cma at worst 0.00")
    assert f"ahead at {int((grid >= 800).sum())}/61" in line
    assert f"behind at {behind}/61" in line


def test_by_function_reports_both_budgets_and_a_rank_test():
    runs = [_rec("ours", 23, 100, 51) for _ in range(5)] + [_rec("cma", 23, 4000, 10)] * 5
    table = rep.by_function(runs).splitlines()
    assert table[0].startswith("| d | f | method | runs | 1000·d | cma 1000·d | p 1000·d")
    cells = [c.strip() for c in table[2].split("|")[1:-1]]
    assert cells[:6] == ["5", "f23", "ours", "5", "1.000", "0.196"]  # 10/51 at 800·d
    assert float(cells[6]) < 0.01 and len(table) == 3  # one row: cma is the reference


def test_recorder_stops_at_the_budget_and_notes_first_hits():
    pytest.importorskip("cocoex")
    import bench_bbob as bb

    from ednag_opt.problems.bbob import get_bbob_problem

    p = get_bbob_problem(1, 2, 1)
    rec = bb.Recorder(p, 5)
    x = np.stack([p.x_opt + 10.0, p.x_opt + 1e-3, p.x_opt])
    out = rec.padded(x)
    assert out[2] == p.f_opt != 0.0 and rec.count == 3 and rec.hits[-1] == 3  # sees f
    assert bb.Recorder(p, 5, shifted=True).padded(x)[2] == 0.0  # --shifted: f - f_opt
    assert rec.hits[0] in (1, 2) and all(h is not None for h in rec.hits)
    with pytest.raises(bb.Stop):  # the last target is hit: the run ends
        rec(x)
    rec = bb.Recorder(p, 2)
    assert np.isinf(rec.padded(x)[2]) and rec.count == 2
    with pytest.raises(bb.Stop):
        rec(x)


def test_all_row_only_over_the_functions_pycma_ran():
    runs = [_rec("cma", f, 100, 51) for f in (10, 20)] + [_rec("ours", f, 100, 51)
                                                          for f in (10, 20)]
    runs += [_rec("ours-x", 20, 100, 51)]  # an ablation on f20 alone
    text = rep.tables(runs)
    assert "| all | ours | 2 |" in text and "| all | ours-x |" not in text
    assert "| weak-structure | ours-x | 1 |" in text


def test_doc_head_says_what_the_optimisers_saw():
    pytest.importorskip("cocoex")
    import bench_bbob as bb

    raw, shifted, old = _rec("ours", 20, 1, 1), _rec("cma", 20, 1, 1), _rec("cma", 21, 1, 1)
    raw["shifted"], shifted["shifted"] = False, True  # ``old``: a record before the field
    assert bb.seen_objective([raw]) == "the optimisers saw f"
    assert bb.seen_objective([shifted, old]).startswith("the optimisers saw f - f_opt")
    assert bb.seen_objective([raw, old]).startswith("MIXED")


def test_ours_config_reaches_minimize(monkeypatch: pytest.MonkeyPatch):
    """``--ours-config`` keys ``restarts``, ``stall`` and ``survival`` go to ``minimize``,
    the rest to ``blackbox_config``."""
    pytest.importorskip("cocoex")
    import bench_bbob as bb

    from ednag_opt.problems.bbob import get_bbob_problem

    seen = {}
    monkeypatch.setattr(bb, "minimize", lambda *a, **kw: seen.update(kw))
    monkeypatch.setattr(bb, "OURS_CHANGES", {"survival": "comma", "stall": "regime",
                                             "restarts": "ipop", "adapt_rate": 2.0})
    bb.run_ours(bb.Recorder(get_bbob_problem(20, 5, 1), 50), 1)
    assert (seen["survival"], seen["stall"], seen["restarts"]) == ("comma", "regime", "ipop")
    assert seen["config"].adapt_rate == 2.0 and seen["config"].popsize == 8


@pytest.mark.parametrize("method", ["evosax", "ngopt", "ngopt-free", "cma"])
def test_baselines_spend_the_budget_reproducibly(method: str):
    """The baselines of the four-method table (session 9; NGOpt on R^d since session 12)
    are judged on exactly their budget, and one instance (seed) gives the same run twice."""
    pytest.importorskip("cocoex")
    pytest.importorskip({"evosax": "evosax", "ngopt": "nevergrad", "ngopt-free": "nevergrad",
                         "cma": "cma"}[method])
    import bench_bbob as bb

    first = bb.run_one(method, 10, 2, 1, 15)  # f10, d = 2, instance 1, 15·d evaluations
    again = bb.run_one(method, 10, 2, 1, 15)
    assert first["evals"] == 30 and first["method"] == method
    assert (first["hits"], first["best"]) == (again["hits"], again["best"])
    assert 0.0 < first["best"] < np.inf


def test_ngopt_free_is_unbounded_and_picks_cma(monkeypatch: pytest.MonkeyPatch):
    """``ngopt-free`` hands NGOpt what ours and pycma get: R^d without a box, a start drawn
    in [-4, 4]^d (like pycma's x0); at 10³·d in 3-d NGOpt then picks nevergrad's CMA."""
    pytest.importorskip("cocoex")
    ng = pytest.importorskip("nevergrad")
    import bench_bbob as bb

    from ednag_opt.problems.bbob import get_bbob_problem

    made = []
    real = ng.optimizers.NGOpt
    monkeypatch.setattr(ng.optimizers, "NGOpt", lambda *a, **k: made.append(real(*a, **k))
                        or made[-1])  # fmt: skip
    rec = bb.Recorder(get_bbob_problem(20, 3, 1), 3000)
    rec.count = rec.budget - 20  # NGOpt is built for 3,000 evaluations; stop after 20
    with pytest.raises(bb.Stop):
        bb.run_ngopt_free(rec, 1)
    param = made[0].parametrization
    assert param.bounds == (None, None)
    assert np.all(np.abs(param.value) <= 4.0) and np.any(param.value != 0.0)
    assert type(made[0].optim).__name__ == "CMA"
