"""pymoo's run protocol with EDNAG: ask/tell parity, copies, history, callbacks, terminations."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from pymoo.core.callback import Callback
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations import EDNAG

TERM = ("n_gen", 40)


def _ask_tell(problem, algorithm, termination=TERM, seed=1):
    algorithm.setup(problem, termination=termination, seed=seed)
    while algorithm.has_next():
        pop = algorithm.ask()
        algorithm.evaluator.eval(problem, pop)
        algorithm.tell(infills=pop)
    return algorithm.result()


def _same(a, b):
    assert np.array_equal(a.X, b.X) and np.array_equal(a.F, b.F)
    assert np.array_equal(a.pop.get("X"), b.pop.get("X"))


@pytest.mark.parametrize("name", ["rastrigin", "g1"])
def test_ask_tell_equals_minimize(name):
    problem = get_problem(name, n_var=6) if name == "rastrigin" else get_problem(name)
    alg = EDNAG(pop_size=16, n_steps=15)  # 40 generations: two restarts
    a = minimize(problem, alg, TERM, seed=1)
    twin = copy.deepcopy(alg)
    b = _ask_tell(problem, twin)
    _same(a, b)
    assert a.algorithm.restarts == twin.restarts == 2
    c = minimize(problem, alg, TERM, seed=2)
    assert not np.array_equal(a.pop.get("X"), c.pop.get("X"))


@pytest.mark.parametrize("how", ["deepcopy", "pickle"])
def test_copy_mid_run_then_continue_identically(how):
    problem = get_problem("ackley", n_var=5)
    alg = EDNAG(pop_size=12, n_steps=15)
    alg.setup(problem, termination=TERM, seed=3)
    for _ in range(20):
        pop = alg.ask()
        alg.evaluator.eval(problem, pop)
        alg.tell(infills=pop)
    pending = alg.ask()  # copy between ask and tell: the twin gets its own copy of the batch
    twin = copy.deepcopy(alg) if how == "deepcopy" else pickle.loads(pickle.dumps(alg))
    twin_pending = copy.deepcopy(pending)
    for a, pop in ((alg, pending), (twin, twin_pending)):
        a.evaluator.eval(problem, pop)
        a.tell(infills=pop)
        while a.has_next():
            nxt = a.ask()
            a.evaluator.eval(problem, nxt)
            a.tell(infills=nxt)
    _same(alg.result(), twin.result())
    # each of the 2 warm restarts re-uses the evaluation of the best so far
    assert alg.evaluator.n_eval == twin.evaluator.n_eval == 40 * 12 - 2


def test_save_history_holds_independent_snapshots():
    problem = get_problem("sphere", n_var=4)
    res = minimize(problem, EDNAG(pop_size=10, n_steps=8), ("n_gen", 12), seed=0, save_history=True)
    hist = res.history
    assert len(hist) == 12 and all(isinstance(h, EDNAG) for h in hist)
    assert [h.evaluator.n_eval for h in hist] == [10 * (i + 1) - (i >= 8) for i in range(12)]
    assert [h.strategy.generation for h in hist] == [*range(1, 9), *range(1, 5)]
    assert hist[3].strategy is not hist[4].strategy and hist[3].pop is not res.pop
    f = [h.opt[0].F[0] for h in hist]
    assert f == sorted(f, reverse=True) and f[-1] == res.F[0]


class _Recorder(Callback):
    def __init__(self):
        super().__init__()
        self.data["n_gen"], self.data["best"], self.data["spread"] = [], [], []

    def notify(self, algorithm):
        self.data["n_gen"].append(algorithm.n_gen)
        self.data["best"].append(algorithm.opt[0].F[0])
        self.data["spread"].append(algorithm.strategy.history[-1]["spread"])


def test_callback_sees_every_generation():
    res = minimize(get_problem("sphere", n_var=4), EDNAG(pop_size=10, n_steps=20), ("n_gen", 20),
                   seed=0, callback=_Recorder())  # fmt: skip
    data = res.algorithm.callback.data
    assert data["n_gen"] == list(range(1, 21))
    assert data["best"] == sorted(data["best"], reverse=True)
    assert data["spread"][-1] < 0.5 * data["spread"][0]  # the diffusion contracts


def test_n_eval_termination_and_budget():
    problem = get_problem("rastrigin", n_var=4)
    res = minimize(problem, EDNAG(pop_size=10, n_steps=30, global_share=0), ("n_eval", 205), seed=0)
    assert res.algorithm.evaluator.n_eval == 210  # whole generations: 21
    assert res.algorithm.n_gen - 1 == 21


def test_termination_object_and_progress():
    from pymoo.termination import get_termination

    res = minimize(get_problem("sphere", n_var=3), EDNAG(pop_size=8, n_steps=10),
                   get_termination("n_gen", 15), seed=0)  # fmt: skip
    assert res.algorithm.n_gen - 1 == 15 and res.algorithm.restarts == 1


def test_tell_checks_its_input():
    problem = get_problem("sphere", n_var=3)
    alg = EDNAG(pop_size=8, n_steps=10)
    alg.setup(problem, termination=TERM, seed=0)
    pop = alg.ask()
    with pytest.raises(ValueError, match="evaluated"):
        alg.tell(infills=pop)
    with pytest.raises(ValueError, match="8 solutions"):
        alg.tell(infills=pop[:4])
