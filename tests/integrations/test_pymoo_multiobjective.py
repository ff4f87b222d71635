"""``EDNAG()`` on multi-objective problems with only real variables: the recombination
preset (``multiobjective_config``), the former default one ``config=`` away (#16)."""

from __future__ import annotations

import numpy as np
import pytest
from pymoo.indicators.hv import HV
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations.pymoo import EDNAG, PYMOO_CONFIG


def _zdt1(algorithm: EDNAG, seed: int) -> tuple[EDNAG, float]:
    problem = get_problem("zdt1", n_var=10)
    res = minimize(problem, algorithm, ("n_eval", 3000), seed=seed)
    hv = HV(ref_point=np.array([1.1, 1.1]))
    return res.algorithm, float(hv(res.F) / hv(problem.pareto_front()))


def test_default_is_the_recombination_preset_and_beats_the_former_one(one_thread):
    new, old = [], []
    for seed in (0, 1, 2):
        alg, ratio = _zdt1(EDNAG(), seed)
        former, ratio_former = _zdt1(EDNAG(config=PYMOO_CONFIG), seed)
        new.append(ratio)
        old.append(ratio_former)
        assert (alg.config.step, alg._run_pop, alg.mixing) == ("recombine", 100, 0.0)
        assert alg.strategy.config.niche == 0.0 and alg.strategy.config.objectives == 2
        assert alg.strategy.config.bounds_mode == "clip"
        assert (former.config.step, former._run_pop) == ("ddim", PYMOO_CONFIG.popsize)
    assert np.median(new) > 0.99 and np.mean(new) > np.mean(old)  # 0.998 vs 0.93 measured


def test_explicit_options_win_over_the_preset(one_thread):
    alg, _ = _zdt1(EDNAG(pop_size=40, mixing=0.2, temperature=0.5), 0)
    assert (alg.config.step, alg._run_pop, alg.mixing) == ("recombine", 40, 0.2)
    assert alg.config.temperature == pytest.approx(0.5)
