"""Tuning runs of the multi-objective EDNAG (tuning seeds only, issue 16).

One line per variant: the mean over cells of the per-cell median hypervolume ratio at 100,
300 and 1,000 unique queries, the mean share of the true front recovered at 1,000, and the
share of new queries made by a repair move (the rest are the diffusion's own samples).

Cell sets: ``a`` = cifar100 x edgegpu_latency, ImageNet16-120 x raspi4_latency; ``b`` =
cifar10 x fpga_latency, cifar100 x pixel3_latency, ImageNet16-120 x edgegpu_energy,
cifar10 x eyeriss_energy. A variant is ``name=JSON`` of ``search`` options, plus
``"_method"`` (``nsga2``, ``nsga2-nox``: NSGA-II without crossover) and ``"_density"``
(``"hypervolume"``: the strategy's Pareto density by exclusive hypervolume, patched in for
the experiment; the strategy has no option for it) and ``"_value"`` (with ``guide``: the
``ParetoGuide`` value, ``"epsilon"`` or ``"hypervolume"``, patched in the same way).

Usage::

    python benchmarks/tune_multiobjective.py --seeds 100-119 --cells ab \\
        'default={}' 'every-run={"recombine": true}' 'nsga2={"_method": "nsga2"}'
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.search import ednag_mo, guided_mo, pair_guide  # noqa: E402
from ednag_opt.search.api import Searcher  # noqa: E402
from ednag_opt.strategy import pareto  # noqa: E402

CELLS = {
    "a": [("cifar100", "edgegpu_latency"), ("ImageNet16-120", "raspi4_latency")],
    "b": [("cifar10", "fpga_latency"), ("cifar100", "pixel3_latency"),
          ("ImageNet16-120", "edgegpu_energy"), ("cifar10", "eyeriss_energy")],
}  # fmt: skip


def run_nsga2_nox(space: Any, tracker: Any, *, seed: int = 0) -> dict[str, Any]:
    """NSGA-II as in the benchmark, crossover probability 0 (mutation only)."""
    sbx = bm.SBX
    bm.SBX = lambda **kw: sbx(**{**kw, "prob": 0.0})
    try:
        return bm.run_nsga2(space, tracker, seed=seed)
    finally:
        bm.SBX = sbx


SEARCHERS = {**bm.SEARCHERS, "nsga2-nox": Searcher("nsga2-nox", run_nsga2_nox, True, "")}


def variant(name: str, opts: dict[str, Any], cells: list[Any], seeds: list[int]) -> str:
    """One tuning line (see the module docstring)."""
    opts = dict(opts)
    method = opts.pop("_method", "ednag")
    ddim = importlib.import_module("ednag_opt.strategy.evolutionary_ddim")
    ddim.pareto_scores = functools.partial(pareto.pareto_scores,
                                           density=opts.pop("_density", "crowding"))  # fmt: skip
    pair_guide.PairRidgeGuide.scale = opts.pop("_pair_scale", 0.3)
    ednag_mo.ParetoGuide = functools.partial(guided_mo.ParetoGuide,
                                             value=opts.pop("_value", "epsilon"),
                                             features=opts.pop("_features", "auto"),
                                             alpha=opts.pop("_alpha", 3.0))  # fmt: skip
    hv: dict[int, list[float]] = {100: [], 300: [], 1000: []}
    rec, rep = [], []
    for cell in cells:
        per = {b: [] for b in hv}
        for s in seeds:
            res = search(SEARCHERS[method], cell.space, [cell.acc, cell.cost],
                         max_queries=1000, seed=s, **opts)  # fmt: skip
            for b in hv:
                per[b].append(cell.score(res, b)["hv"])
            rec.append(cell.score(res, 1000)["recovered"])
            o = res.metadata.get("origins", {})
            rep.append(o.get("repair", 0) / max(1, sum(o.values())))
        for b in hv:
            hv[b].append(float(np.median(per[b])))
    return (f"| {name} | {np.mean(hv[100]):.4f} | {np.mean(hv[300]):.4f} | "
            f"{np.mean(hv[1000]):.5f} | {np.mean(rec):.3f} | {np.mean(rep):.2f} |")  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="100-119", help="tuning seeds only (100-199)")
    ap.add_argument("--cells", default="ab", help="cell sets, e.g. 'a' or 'ab'")
    ap.add_argument("variants", nargs="+", help="name=JSON options")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    seeds = bm._ints(args.seeds)
    if min(seeds) < 100 or max(seeds) > 199:
        raise SystemExit("tune on seeds 100-199 only (0-19 are reported)")
    cells = [bm.Cell(d, dev) for k in args.cells for d, dev in CELLS[k]]
    print("| variant | HV @100 | HV @300 | HV @1000 | recovered @1000 | repairs |")
    print("|---|---|---|---|---|---|")
    for v in args.variants:
        name, opts = v.split("=", 1)
        print(variant(name, json.loads(opts), cells, seeds), flush=True)


if __name__ == "__main__":
    main()
