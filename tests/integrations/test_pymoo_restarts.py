"""The continuous preset's global phase (integrations/pymoo_restarts.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pymoo.core.callback import Callback
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations import EDNAG
from ednag_opt.integrations.pymoo import PYMOO_CONFIG, PYMOO_CONTINUOUS_CONFIG
from ednag_opt.integrations.pymoo_restarts import GLOBAL_POP, GLOBAL_SHARE


class _Phases(Callback):
    """Per generation: the strategy's population, whether it has a frame, the offspring."""

    def __init__(self) -> None:
        super().__init__()
        self.pops: list[int] = []
        self.framed: list[bool] = []
        self.off: list[np.ndarray] = []
        self.best: list[float] = []
        self.best_x: list[np.ndarray] = []

    def notify(self, algorithm: EDNAG) -> None:
        self.pops.append(algorithm.strategy.popsize)
        self.framed.append(algorithm.strategy.state.frame is not None)
        self.off.append(algorithm.off.get("X").copy())
        self.best.append(float(algorithm.opt[0].F[0]))
        self.best_x.append(algorithm.opt[0].X.copy())


def test_global_phase_then_the_frame_from_the_best_members():
    res = minimize(get_problem("sphere", n_var=10), EDNAG(), ("n_eval", 3000), seed=2,
                   callback=_Phases())  # fmt: skip
    rec, alg = res.algorithm.callback, res.algorithm
    n1 = math.ceil(GLOBAL_SHARE * 3000 / GLOBAL_POP)
    assert rec.pops[:n1] == [GLOBAL_POP] * n1 and not any(rec.framed[:n1])
    assert rec.pops[n1:] and set(rec.pops[n1:]) == {20} and all(rec.framed[n1:])
    assert alg.config == PYMOO_CONTINUOUS_CONFIG and alg.restarts >= 1
    # the frame's first population: the global phase's best members, the best first
    assert np.array_equal(rec.off[n1][0], rec.best_x[n1 - 1])
    assert rec.best[n1] == rec.best[n1 - 1]  # nothing lost at the switch
    assert alg.evaluator.n_eval >= 3000 and res.F[0] < 0.5 * rec.best[n1 - 1]


def test_global_phase_is_reproducible_and_helps_on_schwefel():
    def run(share: float | None) -> float:
        alg = EDNAG() if share is None else EDNAG(global_share=share)
        return float(minimize(get_problem("schwefel", n_var=10), alg, ("n_eval", 3000),
                              seed=5).F[0])  # fmt: skip

    with_phase = run(None)
    assert with_phase == run(None)
    assert with_phase < run(0.0)  # the frame alone sticks in a wrong basin


def test_global_phase_only_with_the_preset_and_an_n_eval_termination():
    sphere = get_problem("sphere", n_var=10)
    by_gen = minimize(sphere, EDNAG(), ("n_gen", 10), seed=0, callback=_Phases()).algorithm
    assert all(by_gen.callback.framed) and by_gen.restarts == 0
    off = minimize(sphere, EDNAG(global_share=0), ("n_eval", 400), seed=0,
                   callback=_Phases()).algorithm  # fmt: skip
    assert all(off.callback.framed) and set(off.callback.pops) == {20}
    own = minimize(sphere, EDNAG(config=PYMOO_CONFIG), ("n_eval", 300), seed=0).algorithm
    assert own.restarts == 0 and own.strategy.num_steps == 10
    g1 = minimize(get_problem("g1"), EDNAG(), ("n_eval", 300), seed=0).algorithm
    assert g1.config == PYMOO_CONFIG and g1.restarts == 0 and g1.strategy.num_steps == 10


@pytest.mark.parametrize("bad", [1.0, -0.1, "0.5", True])
def test_bad_global_share_raises(bad):
    with pytest.raises(ValueError, match="global_share"):
        EDNAG(global_share=bad)


@pytest.mark.parametrize("bad", [1, 0, 2.5, "50", True])
def test_bad_global_pop_raises(bad):
    with pytest.raises(ValueError, match="global_pop"):
        EDNAG(global_pop=bad)


def test_global_pop_sets_the_global_phase_population_only():
    def run(**kw) -> tuple[list[int], float]:
        res = minimize(get_problem("sphere", n_var=10), EDNAG(**kw), ("n_eval", 600),
                       seed=1, callback=_Phases())  # fmt: skip
        return res.algorithm.callback.pops, float(res.F[0])

    default, pop30, pop12 = run(), run(global_pop=30), run(global_pop=12)
    assert GLOBAL_POP == 30 and default == pop30  # None: the former 30, bit for bit
    n1 = math.ceil(GLOBAL_SHARE * 600 / 12)
    assert pop12[0][:n1] == [12] * n1 and pop12[0][n1] == 20  # then the frame's own
