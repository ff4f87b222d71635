"""Session 21: issue #13's TransNAS criteria for rows run side by side on the reported seeds
(results/s21/tnb_rep.jsonl), against the published no-transfer medians of
docs/results_transfer.md (20 seeds; micro class_object and macro room_layout from session
16's longer runs). Rule: transfer's median queries <= no transfer's / 3; where no transfer's
median is over the budget (100), met at <= 33.3, undecided when transfer's is finite but larger.
"""
from __future__ import annotations

import collections
import json
import sys

import numpy as np

NO_TRANSFER = {  # median queries of surrogate mode without transfer (None: > 100)
    ("micro", "class_scene"): None, ("micro", "class_object"): 166.5,
    ("micro", "jigsaw"): None, ("micro", "room_layout"): None,
    ("micro", "segmentsemantic"): None, ("micro", "normal"): None,
    ("micro", "autoencoder"): None,
    ("macro", "class_scene"): 49.5, ("macro", "class_object"): None,
    ("macro", "jigsaw"): 59.5, ("macro", "room_layout"): 320.5,
    ("macro", "segmentsemantic"): 39.5, ("macro", "normal"): 70.0,
    ("macro", "autoencoder"): 66.0,
}  # fmt: skip
NAMES = {"transfer": "default", "rec3": "recombine=3 (option)", "r3t3": "recombine=3, 3 parents"}


def best(r, b):
    v = r["best"].get(str(b), r["best"].get(b))
    return r["opt"] if v is None else v


def main() -> None:
    recs = [json.loads(x) for f in sys.argv[1].split(",") for x in open(f) if x.strip()]
    by = collections.defaultdict(lambda: collections.defaultdict(dict))
    for r in recs:
        by[(r["part"][9:], r["task"])][r["method"]][r["seed"]] = r
    methods = [m for m in NAMES if any(m in d for d in by.values())]
    rows, met, und, crit = [], collections.Counter(), collections.Counter(), collections.Counter()
    for key in sorted(by):
        d = by[key]
        seeds = sorted(set.intersection(*[set(d[m]) for m in d]))
        nt = NO_TRANSFER[key]
        cells = []
        for m in methods:
            q = float(np.median([d[m][s]["q"] or 101 for s in seeds]))
            if nt is None:
                rule = "met" if q <= 100 / 3 else ("undecided" if q <= 100 else "not met")
            else:
                rule = "met" if q <= nt / 3 else "not met"
            met[m] += rule == "met"
            und[m] += rule == "undecided"
            ok = all(np.median([best(d[m][s], b) for s in seeds]) >= max(
                np.median([best(d[x][s], b) for s in seeds]) for x in ("REA", "TPE"))
                for b in (10, 30, 100))  # fmt: skip
            crit[m] += ok
            cells.append(f"{'>100' if q > 100 else f'{q:g}'} ({rule}{'' if ok else ', *'})")
        lim = ">100" if nt is None else f"{nt:g}"
        rows.append(f"| {key[0]} {key[1]} | {lim} | " + " | ".join(cells) + " |")
    print("| held out | no transfer (published) | " + " | ".join(NAMES[m] for m in methods) + " |")
    print("|---" * (len(methods) + 2) + "|")
    print("\n".join(rows))
    print("| 1/3 rule met (undecided) | | " + " | ".join(f"{met[m]} ({und[m]})" for m in methods) + " |")
    print("| at or above REA and TPE at 10/30/100 | | " + " | ".join(str(crit[m]) for m in methods) + " |")
    print(f"\nseeds per task: {len(seeds)}")


if __name__ == "__main__":
    main()
