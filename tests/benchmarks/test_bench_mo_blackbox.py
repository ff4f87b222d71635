"""Row and problem selection of the black-box suite (benchmarks/_mo_suites.py, #16)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import _mo_suites as ms  # noqa: E402


def test_only_and_problems_select_rows_and_the_short_names_resolve(one_thread):
    rows = ms.run_blackbox([0], evals=200, pop=20, only=["no-niche", "nsga2"],
                           problems=["zdt1"])  # fmt: skip
    assert {(r["problem"], r["method"]) for r in rows} == {("zdt1", ms.NO_NICHE),
                                                           ("zdt1", "nsga2")}  # fmt: skip
    assert all(0.0 <= r["hv"] <= 1.1 for r in rows)
    with pytest.raises(ValueError, match="unknown black-box problem"):
        ms.run_blackbox([0], evals=200, pop=20, problems=["zdt9"])
