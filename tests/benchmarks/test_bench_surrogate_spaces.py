"""Tables of benchmarks/bench_surrogate_spaces.py: balanced seeds and the win direction."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_surrogate_spaces as bss  # noqa: E402


def _rec(prob: str, method: str, seed: int, v: float) -> dict:
    return {"problem": prob, "method": method, "seed": seed, "wall": 1.0, "rounds": 2,
            "fit_time": 1.0, "search_time": 0.5, "q_opt": None,
            "at": {"50": v, "100": v, "300": v}}  # fmt: skip


def test_complete_keeps_only_seeds_with_every_method_per_problem():
    recs = [_rec("a", m, s, 0.1) for m in ("surrogate", "REA") for s in (0, 1)]
    recs.append(_rec("a", "surrogate", 2, 0.0))  # seed 2: REA missing
    recs += [_rec("b", m, 2, 0.0) for m in ("surrogate", "REA")]
    got = {(r["problem"], r["seed"]) for r in bss.complete(recs)}
    assert got == {("a", 0), ("a", 1), ("b", 2)}


def test_wins_follow_the_direction_of_the_reported_value():
    # surrogate has the smaller value on every seed: a win for regret, a loss for accuracy
    recs = [_rec("a", "surrogate", s, 0.1) for s in range(5)]
    recs += [_rec("a", "REA", s, 0.5 + s) for s in range(5)]
    recs += [_rec("a", "TPE", s, 0.1) for s in range(5)]
    _, regret = bss.tables("transnas", recs)
    _, acc = bss.tables("ofa", recs)
    assert "| REA | 300 | 1 / 0 / 0 | 1 / 0 | n/a |" in regret
    assert "| REA | 300 | 0 / 0 / 1 | 0 / 1 | n/a |" in acc
    assert "| TPE | 50 | 0 / 1 / 0 | 0 / 0 | n/a |" in regret
