"""Exact lower bound (session 21, #13): the best rank any linear mixture of the related
tasks' z-scored tables can give a held-out task's optimum, by a mixed-integer program.

minimise sum z_i  s.t.  (x_i - x_opt) . w <= -margin + M z_i,  w in [-1, 1]^K,  z binary.
A cell with z_i = 0 scores strictly below the optimum (by ``margin`` at this scale), so
1 + the optimum is the best rank a mixture reaches. HiGHS via scipy; ``--limit`` seconds.
Usage: python results/s21/mixture_milp.py PART TASK [LIMIT]
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

DATA = os.environ.get("EDNAG_DATA_DIR", "../shared/data")


def main() -> None:
    part, task = sys.argv[1], sys.argv[2]
    limit = float(sys.argv[3]) if len(sys.argv) > 3 else 120.0
    df = pd.read_csv(os.path.join(DATA, "transnas-bench-101", f"tnb101_{part}_val_final.csv"))
    cols = [c for c in df.columns if c not in ("naslib_op_indices", "arch_str")]
    x = df[cols].to_numpy(float)
    z = (x - x.mean(0)) / x.std(0)
    j = [c.split("_valid")[0] for c in cols].index(task)
    y, others = z[:, j], np.delete(z, j, axis=1)
    opt = int(np.argmax(y))
    d = np.delete(others - others[opt], opt, axis=0)
    n, k = d.shape
    margin = 1e-4
    big = np.abs(d).sum(1).max() + margin
    c = np.concatenate([np.zeros(k), np.ones(n)])
    a = np.hstack([d, -big * np.eye(n)])
    cons = LinearConstraint(a, -np.inf, -margin)
    integrality = np.concatenate([np.zeros(k), np.ones(n)])
    bounds = Bounds(np.concatenate([-np.ones(k), np.zeros(n)]), np.ones(k + n))
    res = milp(c, constraints=cons, integrality=integrality, bounds=bounds,
               options={"time_limit": limit, "disp": False})
    lower = getattr(res, "mip_dual_bound", None)
    print(f"{part} {task}: status {res.status} ({res.message}); best rank found "
          f"{int(round(res.fun)) + 1 if res.x is not None else None}; proven lower bound on "
          f"the rank {None if lower is None else int(np.ceil(lower - 1e-6)) + 1}")


if __name__ == "__main__":
    main()
