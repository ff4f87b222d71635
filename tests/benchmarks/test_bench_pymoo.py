"""Judgement of benchmarks/bench_pymoo.py: target precision ties, one error per seed."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_pymoo as bp  # noqa: E402


def _run(problem: str, algorithm: str, seed: int, errors: dict[int, float]) -> dict:
    return {"problem": problem, "algorithm": algorithm, "seed": seed, "wall": 1.0,
            "evals": max(errors), "errors": {str(b): e for b, e in errors.items()}}  # fmt: skip


def test_errors_below_the_target_precision_tie_and_above_it_count():
    runs = [_run("sphere", "EDNAG", s, {10: 1e-20}) for s in range(5)]
    runs += [_run("sphere", "DE", s, {10: 0.0}) for s in range(5)]  # exact 0: a tie, not a loss
    runs += [_run("g8", "EDNAG", s, {10: 1e-6}) for s in range(5)]
    runs += [_run("g8", "DE", s, {10: 1e-12}) for s in range(5)]  # above the target: a loss
    _, verdicts = bp.results_table(runs, ["sphere", "g8"], 10)
    assert verdicts == ["sphere:win:True:False", "g8:loss:True:False"]
    (line,) = bp.summary({10: verdicts})
    assert "on 1/2 problems" in line and "(0/2 without that tolerance)" in line


def test_a_seed_run_again_to_a_larger_budget_counts_once():
    runs = [_run("g1", "DE", 0, {10: 3.0}), _run("g1", "DE", 0, {10: 3.0, 30: 1.0}),
            _run("g1", "DE", 1, {10: 5.0})]  # fmt: skip
    assert sorted(bp.errors_of(runs, "g1", "DE", 10)) == [3.0, 5.0]
    assert list(bp.errors_of(runs, "g1", "DE", 30)) == [1.0]


def test_cmaes_seeds_are_separate_from_ga_and_pso():
    n = {"long": 3, "baseline": 1, "cmaes": 3, "ablation": 0, "former": 0}
    tasks = bp.tasks_for(["g1"], range(3), [10, 30], n, ablate=False)
    seeds = {a: sorted(s for _, alg, s, _, _ in tasks if alg == a) for a in bp.ALGORITHMS}
    assert seeds["CMAES"] == [0, 1, 2] and seeds["GA"] == seeds["PSO"] == [0]
    assert {b for _, a, _, b, _ in tasks if a == "CMAES"} == {(10, 30)}  # to the top budget
    del n["cmaes"]  # default: as GA and PSO
    tasks = bp.tasks_for(["g1"], range(3), [10, 30], n, ablate=False)
    assert sorted(s for _, a, s, _, _ in tasks if a == "CMAES") == [0]
