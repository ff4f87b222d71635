"""Session 12: the issue's unbounded shifted ellipsoid (20-d, condition 1e6, population 50,
start at the origin with scale 1) run to a target: evaluations until the error is below
1e-8 (and the error at 10^4 and 3 * 10^4 evaluations) for shifts 0 / 3 / 10 / 100, ours
(`minimize`'s default) and pycma (one run each, no restarts needed).
python results/s12/shift.py SEEDS            # to the target
python results/s12/shift.py SEEDS --budget   # no target: the error after 1, 2, 3, 4 * 10^4"""
import math
import sys
import warnings

import numpy as np
import torch

from ednag_opt.strategy.blackbox import blackbox_config, minimize

torch.set_num_threads(1)
D, POP, BUDGET, TARGET = 20, 50, 100_000, 1e-8
CHECKS = (10_000, 20_000, 30_000, 40_000)
W = torch.logspace(0, 6, D, dtype=torch.float64)


class Counter:
    """The shifted ellipsoid; notes the evaluations to TARGET and the error at 1e4, 3e4."""

    def __init__(self, shift: float) -> None:
        self.shift, self.n, self.best, self.hit, self.at = shift, 0, math.inf, None, {}

    def __call__(self, x):
        v = (W * (torch.as_tensor(np.asarray(x), dtype=torch.float64).reshape(-1, D)
                  - self.shift) ** 2).sum(1)
        for e in v.tolist():
            self.n += 1
            self.best = min(self.best, e)
            if self.hit is None and self.best <= TARGET:
                self.hit = self.n
            for b in CHECKS:
                if self.n == b:
                    self.at[b] = self.best
        return v


def budget_mode(seeds: int) -> None:
    """Every run spends 4 * 10^4 evaluations (no target); the median error at each check."""
    import cma

    print("| shift | method | " + " | ".join(f"error at {b:,}" for b in CHECKS) + " |")
    print("|---:|---|" + "---:|" * len(CHECKS))
    for shift in (0.0, 3.0, 10.0, 100.0):
        rows = {"ours (default)": [], "pycma": []}
        for seed in range(seeds):
            c = Counter(shift)
            minimize(c, D, CHECKS[-1], seed=seed, x0=np.zeros(D), init_scale=1.0,
                     config=blackbox_config(D, popsize=POP))
            rows["ours (default)"].append(c)
            c = Counter(shift)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cma.fmin2(lambda x, c=c: float(c(np.asarray(x)[None])[0]), np.zeros(D), 1.0,
                          {"popsize": POP, "maxfevals": CHECKS[-1], "seed": seed + 1,
                           "verbose": -9, "tolfun": 0, "tolfunhist": 0, "tolx": 0},
                          restarts=0)
            rows["pycma"].append(c)
        for name, cs in rows.items():
            cells = [f"{np.median([c.at.get(b, c.best) for c in cs]):.2g}" for b in CHECKS]
            print(f"| {shift:g} | {name} | " + " | ".join(cells) + " |", flush=True)


def main() -> None:
    import cma

    seeds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    if "--budget" in sys.argv:
        budget_mode(seeds)
        return
    print("| shift | method | evaluations to 1e-8 (median, min-max) | error at 10^4 | error at 3·10^4 |")
    print("|---:|---|---:|---:|---:|")
    for shift in (0.0, 3.0, 10.0, 100.0):
        rows = {"ours (default)": [], "pycma": []}
        for seed in range(seeds):
            c = Counter(shift)
            minimize(c, D, BUDGET, seed=seed, x0=np.zeros(D), init_scale=1.0,
                     config=blackbox_config(D, popsize=POP), target=TARGET)
            rows["ours (default)"].append(c)
            c = Counter(shift)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                cma.fmin2(lambda x, c=c: float(c(np.asarray(x)[None])[0]), np.zeros(D), 1.0,
                          {"popsize": POP, "maxfevals": BUDGET, "seed": seed + 1,
                           "verbose": -9, "ftarget": TARGET})
            rows["pycma"].append(c)
        for name, cs in rows.items():
            hits = [c.hit if c.hit else math.inf for c in cs]
            at = [[c.at.get(b, c.best) for c in cs] for b in (10_000, 30_000)]
            print(f"| {shift:g} | {name} | {np.median(hits):.0f} ({min(hits):.0f}-{max(hits):.0f})"
                  f" | {np.median(at[0]):.2g} | {np.median(at[1]):.2g} |", flush=True)


if __name__ == "__main__":
    main()
