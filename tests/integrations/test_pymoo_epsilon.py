"""The Takahama-Sakai epsilon level kept in the adapter's state (integrations/pymoo_epsilon.py)."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.core.callback import Callback
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations import EDNAG
from ednag_opt.integrations.pymoo import PYMOO_CONFIG
from ednag_opt.integrations.pymoo_epsilon import POWER, THETA, UNTIL, EpsilonLevel


def test_level_is_fixed_by_the_first_population_and_decays_to_zero():
    lvl = EpsilonLevel(theta=0.5, until=0.5, power=2.0)
    assert lvl.level(0.0) == 0.0  # no first population yet
    cv = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    out = lvl.relax(cv, generation=0, num_steps=10)
    assert lvl.eps0 == 2.0 and out.tolist() == [0, 0, 0, 3, 4]
    # later generations keep eps0 (not recomputed from their violations)
    out = lvl.relax(np.array([0.5, 1.5, 10.0]), generation=2, num_steps=10)
    assert lvl.eps0 == 2.0 and lvl.level(0.2) == pytest.approx(2.0 * 0.6**2)
    assert out.tolist() == [0.0, 1.5, 10.0]  # 1.5 > eps(0.2) = 0.72
    assert lvl.level(0.5) == 0.0 and lvl.relax(np.array([1e-9]), 5, 10).tolist() == [1e-9]


@pytest.mark.parametrize("bad", [dict(theta=1.5), dict(until=0.0), dict(power=0.0)])
def test_bad_level_parameters_are_refused(bad):
    with pytest.raises(ValueError, match="theta"):
        EpsilonLevel(**bad)


def test_bad_control_is_refused():
    with pytest.raises(ValueError, match="epsilon_control"):
        EDNAG(epsilon_control="fixed")


def _setup(alg: EDNAG, problem) -> EDNAG:
    alg.setup(problem, termination=("n_eval", 300), seed=1)
    return alg


def test_where_the_state_level_applies():
    g = get_problem("g7")
    alg = _setup(EDNAG(epsilon_control="state"), g)
    assert alg._eps is not None and (alg._eps.theta, alg._eps.until, alg._eps.power) == (
        THETA, UNTIL, POWER)
    assert alg.config.constraint_handling == "feasibility"  # on the relaxed violations
    default = _setup(EDNAG(), g)
    assert default._eps is None and default.config == PYMOO_CONFIG  # not the default
    assert _setup(EDNAG(epsilon_control="population"), g)._eps is None
    assert _setup(EDNAG(config=PYMOO_CONFIG, epsilon_control="state"), g)._eps is not None
    sphere = _setup(EDNAG(epsilon_control="state"), get_problem("sphere", n_var=4))
    assert sphere._eps is None  # unconstrained: nothing to relax


def _run_g7(**kw) -> tuple:
    alg = minimize(get_problem("g7"), EDNAG(**kw), ("n_eval", 600), seed=3).algorithm
    return alg.pop.get("X").tolist(), alg.opt.get("F").tolist(), alg.opt.get("CV").tolist()


def test_population_control_is_the_default_bit_for_bit():
    former = _run_g7(config=PYMOO_CONFIG)
    assert _run_g7(epsilon_control="population") == former == _run_g7()
    assert _run_g7(epsilon_control="state") != former


class _Violations(Callback):
    """After each generation: the strategy's parent violations and the level in force."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[tuple[np.ndarray, np.ndarray, float]] = []

    def notify(self, algorithm: EDNAG) -> None:
        es = algorithm.strategy
        eps = algorithm._eps.level((es.generation - 1) / es.num_steps)
        told = es.state.violation.numpy().copy()
        self.rows.append((told, algorithm.pop.get("CV")[:, 0].copy(), eps))


def test_parents_are_relaxed_with_the_current_level_and_the_run_ends_feasible():
    rec = _Violations()
    res = minimize(get_problem("g7"), EDNAG(epsilon_control="state"), ("n_eval", 1500),
                   seed=0, callback=rec)  # fmt: skip
    assert any(eps > 0 for *_, eps in rec.rows) and rec.rows[-1][2] == 0.0
    for told, true, eps in rec.rows:  # the strategy ranks on cv relaxed by the current eps
        assert np.array_equal(told, np.where(true <= eps, 0.0, true))
    # late in the run the level is 0: what the strategy was told is the true violation
    assert np.array_equal(rec.rows[-1][0], rec.rows[-1][1])
    assert res.CV[0] <= 0 and np.isfinite(res.F[0])
