"""bench_searchers on nb201-noisy: the model rule's rows come from the same runs."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as bs  # noqa: E402


def test_default_returns_the_model_pick_and_derived_rows_share_the_runs(data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    bs._CTX.clear()
    bs._CTX.update(bs.problems("nb201-noisy", True))  # budgets 5, 10, 30
    runs = {m: bs.run_one(("nb201-noisy", "cifar100", m, 0)) for m in ("ednag default", "REA")}
    d, rea = runs["ednag default"], runs["REA"]
    assert len(d["q"]) == 30 and "at_best" in d and "at_model" in rea
    rows = {r["method"]: r for r in bs.derived(d) + bs.derived(rea)}
    assert set(rows) == {bs.DEFAULT_BEST, "REA + model recommendation"}
    for r in rows.values():
        assert not any(k.startswith("at_") for k in r) and r["seed"] == 0
    assert rows[bs.DEFAULT_BEST]["at"] == d["at_best"]
    assert rows["REA + model recommendation"]["at"] == rea["at_model"]
    res_best = max(d["q"][:30], key=lambda t: t[1])[1]
    assert d["at_best"]["30"]["value"] == res_best  # the ablation is the best observed value
    assert set(rows) <= set(bs.ORDER)  # the doc's tables show them
