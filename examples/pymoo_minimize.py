"""EDNAG through pymoo's ``minimize``: a benchmark function, constraints, mixed variables,
pymoo's sampling and repair objects.

python examples/pymoo_minimize.py
"""

from __future__ import annotations

import numpy as np
import torch
from pymoo.core.problem import ElementwiseProblem
from pymoo.core.repair import Repair
from pymoo.core.variable import Binary, Choice, Integer, Real
from pymoo.operators.sampling.lhs import LHS
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations.pymoo import EDNAG

torch.set_num_threads(1)


class RoundToGrid(Repair):
    """A pymoo repair: every variable to a multiple of 0.01."""

    def _do(self, problem, X, **kwargs):
        return np.round(X, 2)


# 1. pymoo's own problem with EDNAG's defaults: one diffusion fitted to the budget
problem = get_problem("ackley", n_var=10)
res = minimize(problem, EDNAG(), ("n_eval", 3000), seed=1, verbose=False)
print(f"ackley-10: f = {res.F[0]:.2e} after {res.algorithm.evaluator.n_eval} evaluations")

# 1b. fixed-length diffusions restart when the termination asks for more (run = restart)
res = minimize(problem, EDNAG(n_steps=50), ("n_gen", 100), seed=1, verbose=False)
print(f"ackley-10: f = {res.F[0]:.2e}, {res.algorithm.restarts} restart(s) of 50 steps")

# 1c. pymoo's sampling and repair objects are accepted like pymoo's own algorithms
res = minimize(problem, EDNAG(sampling=LHS(), repair=RoundToGrid()), ("n_eval", 3000), seed=1)
print(f"ackley-10 on a 0.01 grid from a Latin hypercube: x = {res.X[:3]}..., f = {res.F[0]:.3g}")

# 2. inequality constraints: pymoo's CV is passed to the strategy; the adapter's default
#    is epsilon-constraint handling (compare: "feasibility", "stochastic-ranking")
for handling in ("epsilon", "feasibility", "stochastic-ranking"):
    algorithm = EDNAG(pop_size=20, constraint_handling=handling)
    res = minimize(get_problem("g6"), algorithm, ("n_eval", 2000), seed=1)
    print(f"g6, {handling}: f = {res.F[0]:.2f} (optimum -6961.81), CV = {res.CV[0]}")
res = minimize(get_problem("g24"), EDNAG(pop_size=20), ("n_gen", 60), seed=1, verbose=True)
print(f"g24: f = {res.F[0]:.4f} (optimum -5.5080), CV = {res.CV[0]}")


# 3. mixed variables: a choice with k options becomes k latent coordinates (argmax),
#    an integer a rounded real, a binary a thresholded one
class Tuning(ElementwiseProblem):
    def __init__(self):
        variables = {
            "lr": Real(bounds=(-5.0, -1.0)),  # log10 of a learning rate
            "layers": Integer(bounds=(1, 8)),
            "act": Choice(options=["relu", "gelu", "tanh"]),
            "norm": Binary(),
        }
        super().__init__(vars=variables, n_obj=1)

    def _evaluate(self, X, out, *args, **kwargs):
        penalty = {"relu": 0.2, "gelu": 0.0, "tanh": 0.5}[X["act"]]
        out["F"] = (X["lr"] + 3.0) ** 2 + 0.1 * (X["layers"] - 5) ** 2 + penalty + (not X["norm"])


res = minimize(Tuning(), EDNAG(pop_size=20, n_steps=40), ("n_gen", 40), seed=0)
print(f"mixed: best {res.X} with f = {res.F[0]:.4f} (optimum 0 at lr=-3, 5 layers, gelu, norm)")
