"""Share of each row's first 300 single-seed NB201 queries that repeat a network already
queried (another cell of the same canonical form): what one query per network saves.

usage: python results/s9d/repeats.py   (reads results/search/nb201-noisy.json, seeds 0-19)
"""

from __future__ import annotations

import json

import numpy as np

from ednag_opt.spaces import get_space

ROWS = ("ednag default", "REA", "local search", "random", "TPE",
        "ednag default + distinct networks")


def main() -> None:
    space = get_space("nas-bench-201")
    canon = [space.index(space.canonicalize(a)) for a in space.enumerate()]
    recs = json.loads(open("results/search/nb201-noisy.json").read())
    for row in ROWS:
        shares = []
        for r in recs:
            if r["method"] != row or r["seed"] >= 20:
                continue
            seen: set[int] = set()
            repeats = 0
            for i, _ in r["q"][:300]:
                repeats += canon[i] in seen
                seen.add(canon[i])
            shares.append(repeats / len(r["q"][:300]))
        print(f"{row:35s} {np.mean(shares):.3f} of the first 300 queries repeat a network "
              f"({len(shares)} runs)")


if __name__ == "__main__":
    main()
