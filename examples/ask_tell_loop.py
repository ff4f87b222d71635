"""The plain ask/tell loop of EvolutionaryDDIM on a toy function (runs in about a second).

python examples/ask_tell_loop.py
"""

from __future__ import annotations

import torch

from ednag_opt import EvolutionaryDDIM
from ednag_opt.problems import get_problem

torch.set_num_threads(1)  # populations of 30 points: one thread is fastest

# a 10-d Rastrigin whose optimum is moved off the centre of the box
problem = get_problem("rastrigin", 10, shift=1.7)
lower, upper = problem.bounds

es = EvolutionaryDDIM(shape=(problem.dim,), popsize=30, num_steps=100, seed=0,
                      bounds=(lower, upper))  # fmt: skip
while not es.done:
    x = es.ask()  # (30, 10) points inside the bounds
    f = problem(x)  # (30,) values, lower is better
    es.tell(f)
    if es.generation % 20 == 0:
        h = es.history[-1]
        print(f"gen {h['generation']:3d}  evals {h['evaluations']:5d}  "
              f"best {h['best_fitness']:9.4f}  spread {h['spread']:.4f}")  # fmt: skip

print(f"best value {es.best_fitness:.4f} (optimum {problem.optimum}), "
      f"error {problem.error(es.best_fitness):.4f}")  # fmt: skip
print("distance to the optimum:", float((es.best_solution - problem.optimum_x).norm()))
