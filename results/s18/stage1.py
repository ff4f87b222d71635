"""Apply stage 1 of results/s18/RULE18.md: each variant against the default, paired, on
the tuning seeds 100-199. python results/s18/stage1.py"""
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "s17"))
from rules_common import load, nb201_clauses, transnas_clause  # noqa: E402

SEEDS = range(100, 200)
VARIANTS = ["s18 r32", "s18 dec", "s18 r32dec", "s18 beta", "s18 shared"]
ref_t, ref_n = load("transnas", ["s18 default"], SEEDS), load("nb201", ["s18 default"], SEEDS)
ok = {}
for v in VARIANTS:
    print(f"== {v}")
    try:
        new_t, new_n = load("transnas", [v], SEEDS), load("nb201", [v], SEEDS)
    except FileNotFoundError:
        print("not run")
        continue
    a, n = transnas_clause(new_t, ref_t)
    bc = nb201_clauses(new_n, ref_n)
    full = n == 1400 and len(set(new_n) & set(ref_n)) == 300
    keys = sorted(set(new_t) & set(ref_t))
    total = sum(np.mean([new_t[k]["at"][b]["report"] for k in keys]) for b in ("50", "100", "300"))
    print(f"(a) {'holds' if a else 'fails'}; summed mean regret {total:.4f}; "
          f"{'complete' if full else 'INCOMPLETE'}")
    if a and bc and full:
        ok[v] = total
print("qualifying:", ok or "none", "-> stage 2:", min(ok, key=ok.get) if ok else "nothing")
