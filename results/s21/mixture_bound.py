"""How high can any mixture of the related tasks' tables rank a held-out task's optimum?
(session 21, #13; TransNAS-Bench-101 leave one task out, and NB201 for reference)

For each held-out task: the rank of its validation optimum (ties broken against it) under
- the mean of the other tasks' z-scored tables (what an unconditioned prior could know),
- the best of 20,000 random linear mixtures of them (weights N(0,1), so negative allowed),
  chosen *knowing* the held-out optimum: an oracle bound for any linear mixture prior.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

DATA = os.environ.get("EDNAG_DATA_DIR", "../shared/data")


def ranks(scores: np.ndarray, opt: int) -> np.ndarray:
    """Rank of cell ``opt`` under each column of ``scores`` (1 = best; ties count above)."""
    return (scores >= scores[opt]).sum(axis=0)


def table(path: str, cols: list[str]) -> np.ndarray:
    df = pd.read_csv(path)
    x = df[cols].to_numpy(float)
    return (x - x.mean(0)) / x.std(0)


def main(draws: int = 20000) -> None:
    rng = np.random.default_rng(0)
    tnb = os.path.join(DATA, "transnas-bench-101")
    for part in ("micro", "macro"):
        df = pd.read_csv(os.path.join(tnb, f"tnb101_{part}_val_final.csv"))
        cols = [c for c in df.columns if c not in ("naslib_op_indices", "arch_str")]
        z = table(os.path.join(tnb, f"tnb101_{part}_val_final.csv"), cols)
        for j, c in enumerate(cols):
            others = np.delete(z, j, axis=1)
            opt = int(np.argmax(z[:, j]))
            mean_rank = int(ranks(others.mean(1, keepdims=True), opt)[0])
            w = rng.standard_normal((others.shape[1], draws))
            best = int(ranks(others @ w, opt).min())
            ties = int((z[:, j] >= z[opt, j] - 1e-9).sum())
            print(f"{part:5s} {c.split('_valid')[0]:16s} mean-of-others rank {mean_rank:5d} | "
                  f"best linear mixture (oracle) {best:5d} | cells tied at the optimum {ties}")


if __name__ == "__main__":
    main()
