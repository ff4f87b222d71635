"""Generate NAS-Bench-201 cells with EvolutionaryDDIM on real handwritten digits, then train.

1. Search: ``EvolutionaryDDIM`` over (6 edges x 5 ops) scores, decoded by argmax per edge,
   with a zero-cost proxy (NASWOT, default) or short real training as fitness.
2. Random search at equal cost: as many distinct cells scored by the same fitness.
3. Final training: the top-1 cell of each search and a few uniformly random cells are trained
   longer from scratch; validation and test accuracy are reported (test is never used above).

Run (about 2-4 minutes on one core)::

    python examples/train_generated_digits.py
    python examples/train_generated_digits.py --fitness train --popsize 10 --steps 8
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from ednag_opt import EvolutionaryDDIM
from ednag_opt.fitness.proxies import ProxyFitness
from ednag_opt.fitness.training import ArchFitness, TrainingFitness, decode_nb201
from ednag_opt.training import nb201_string


def make_fitness(kind: str, task: str, seed: int) -> ArchFitness:
    if kind == "train":
        return TrainingFitness(task, epochs=2, seed=seed)
    return ProxyFitness(task, proxy=kind, seed=seed)


def search_ddim(fitness: ArchFitness, popsize: int, steps: int, seed: int) -> str:
    es = EvolutionaryDDIM(shape=(6, 5), popsize=popsize, num_steps=steps, seed=seed, maximize=True)
    while not es.done:
        x = es.ask()
        es.tell(fitness(decode_nb201(x)))
    return max(fitness.cache, key=fitness.cache.__getitem__)


def search_random(fitness: ArchFitness, n_distinct: int, seed: int) -> str:
    rng = np.random.default_rng(seed)
    while fitness.n_evaluated < min(n_distinct, 5**6):
        fitness([nb201_string(rng.integers(0, 5, size=6).tolist())])
    return max(fitness.cache, key=fitness.cache.__getitem__)


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--task", default="digits_all")
    p.add_argument("--fitness", default="naswot", choices=["naswot", "synflow", "train"])
    p.add_argument("--popsize", type=int, default=20)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--final-epochs", type=int, default=10)
    p.add_argument("--random-cells", type=int, default=3)
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    torch.set_num_threads(1)

    t0 = time.perf_counter()
    f_ddim = make_fitness(args.fitness, args.task, args.seed)
    best_ddim = search_ddim(f_ddim, args.popsize, args.steps, args.seed)
    t_ddim = time.perf_counter() - t0
    print(f"EvolutionaryDDIM: {f_ddim.n_evaluated} distinct cells scored in {t_ddim:.1f} s")

    t0 = time.perf_counter()
    f_rand = make_fitness(args.fitness, args.task, args.seed)
    best_rand = search_random(f_rand, f_ddim.n_evaluated, args.seed + 1)
    print(f"random search: {f_rand.n_evaluated} cells in {time.perf_counter() - t0:.1f} s")

    rng = np.random.default_rng(args.seed + 2)
    randoms = [nb201_string(rng.integers(0, 5, size=6).tolist()) for _ in range(args.random_cells)]
    final = TrainingFitness(args.task, epochs=args.final_epochs, seed=args.seed)
    entries = [("EvolutionaryDDIM top-1", best_ddim, f_ddim.cache[best_ddim])]
    entries.append(("random search top-1", best_rand, f_rand.cache[best_rand]))
    entries += [(f"random cell {i + 1}", c, float("nan")) for i, c in enumerate(randoms)]
    print(f"\nfinal training: {args.final_epochs} epochs on {args.task}, seed {args.seed}")
    print(f"{'':24s} {'search':>8s} {'val':>6s} {'test':>6s} {'params':>7s}  cell")
    for label, cell, score in entries:
        res = final.result(cell)
        shown = "-" if score != score else f"{score:.2f}"  # NaN: not scored by a search
        print(
            f"{label:24s} {shown:>8s} {res.val_accuracy:6.3f} {res.test_accuracy:6.3f}"
            f" {res.params:7d}  {cell}"
        )


if __name__ == "__main__":
    main()
