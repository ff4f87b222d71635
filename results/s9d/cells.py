"""Cells won (or tied at the optimum) by the default and by its "+ distinct networks" row,
against the baselines as run and against the baselines + distinct networks (like for like).

usage: python results/s9d/cells.py [SEEDS] [RAW-FOLDER,...]   (defaults: 0-19, results/search)

Several folders are merged (a run found in an earlier folder wins); a benchmark missing
from every folder is skipped.

Only the problems whose space has canonicalize (NB201, TransNAS micro). TPE + distinct
networks comes from results/s9d/tpe/ when it is not in the raw folder (capped runs: TransNAS
at 50 and 100, where TPE as run stands in at 300; NB201 up to 300 queries, a later hit
counts as a miss). On nb201-noisy the default rows return res.recommend(B) (model rule),
the baselines their best observed cell; the "+ model recommendation" sets give the
baselines the same rule.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, "benchmarks")
import bench_searchers as bs  # noqa: E402
from _search_report import DEFAULT, tables  # noqa: E402

TPE_NET = "TPE + distinct networks"


def load(bench: str, seeds: set[int], raws: list[Path]) -> list[dict]:
    runs: dict[tuple, dict] = {}
    for raw in raws:
        path = raw / f"{bench}.json"
        for r in json.loads(path.read_text()) if path.exists() else []:
            if r["seed"] in seeds and not r["problem"].startswith("macro"):
                runs.setdefault((r["problem"], r["method"], r["seed"]), r)
    recs = list(runs.values())
    capped = Path("results/s9d/tpe") / f"{bench}.json"
    if not any(r["method"] == TPE_NET for r in recs) and capped.exists():
        tpe = {(r["problem"], r["seed"]): r for r in recs if r["method"] == "TPE"}
        for r in json.loads(capped.read_text()):
            if r["seed"] in seeds:
                full = tpe[(r["problem"], r["seed"])]["at"] if tpe else {}
                recs.append({**r, "at": {**full, **r["at"]} if bench == "transnas" else r["at"]})
    return recs


def main() -> None:
    seeds = set(bs.parse_seeds(sys.argv[1] if len(sys.argv) > 1 else "0-19"))
    raws = [Path(f) for f in (sys.argv[2] if len(sys.argv) > 2 else "results/search").split(",")]
    for bench in ("nb201", "nb201-noisy", "transnas"):
        recs = load(bench, seeds, raws)
        if not any(r["method"] in bs.BASELINES for r in recs):
            continue
        sets = {"as run": bs.BASELINES, "+ distinct networks": bs.NET_BASELINES}
        if bench == "nb201-noisy":
            sets.update({f"{k}{bs.MODEL_REC}": tuple(b + bs.MODEL_REC for b in v)
                         for k, v in list(sets.items())})
        for row in (DEFAULT, bs.NET_DEFAULT):
            mine = [{**r, "method": DEFAULT} if r["method"] == row else r
                    for r in recs if r["method"] != (bs.NET_DEFAULT if row == DEFAULT else DEFAULT)]
            for name, base in sets.items():
                ran = [b for b in base if any(r["method"] == b for r in mine)]
                if not ran:
                    continue
                _, cells = tables(mine, bench, bs.ORDER, base)
                won = [c.split(" ", 1)[1] for c, o in cells if o in ("win", "tie at the optimum")]
                miss = "" if len(ran) == len(base) else f" [missing: {set(base) - set(ran)}]"
                print(f"{bench:11s} {row:33s} vs baselines {name:42s}: "
                      f"{len(won):2d} of {len(cells)}{miss}  {', '.join(won)}")


if __name__ == "__main__":
    main()
