"""EDNAG through pymoo's ``minimize``: a benchmark function, constraints, mixed variables.

python examples/pymoo_minimize.py
"""

from __future__ import annotations

import torch
from pymoo.core.problem import ElementwiseProblem
from pymoo.core.variable import Binary, Choice, Integer, Real
from pymoo.optimize import minimize
from pymoo.problems import get_problem

from ednag_opt.integrations.pymoo import EDNAG

torch.set_num_threads(1)

# 1. pymoo's own problem, with pymoo's display (run = restart, t = diffusion timestep)
problem = get_problem("ackley", n_var=10)
res = minimize(problem, EDNAG(pop_size=30, n_steps=50), ("n_gen", 100), seed=1, verbose=False)
print(f"ackley-10: f = {res.F[0]:.4f} after {res.algorithm.evaluator.n_eval} evaluations, "
      f"{res.algorithm.restarts} restart(s) of the 50-step diffusion")  # fmt: skip

# 2. inequality constraints: pymoo's CV is passed to the strategy (feasibility first);
#    n_steps=None fits one diffusion to the termination (here 60 generations)
algorithm = EDNAG(pop_size=20, n_steps=None)
res = minimize(get_problem("g24"), algorithm, ("n_gen", 60), seed=1, verbose=True)
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
