"""Tuning (issue 16, session 16): a balanced first generation (search.guided.balanced_start,
the single-objective default's start since session 8) for the multi-objective searcher,
against its random start, HV at 100 and 300 queries. Monkeypatches ednag_mo._generation.

python results/s16/tune_start.py VARIANT SEEDS OUT DATASETS   (VARIANT: default, balanced)
"""
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import torch

import bench_multiobjective as bm
from ednag_opt.search.guided import balanced_start

mo = importlib.import_module("ednag_opt.search.ednag_mo")
variant, seeds, out = sys.argv[1], bm._ints(sys.argv[2]), sys.argv[3]
datasets = sys.argv[4].split(",")
orig = mo._generation


def patched(space, tracker, es, multi, moves, mut_gen, run, inject=()):
    if es.generation == 0 and run == 0:  # the first generation: a balanced design
        design = torch.Generator().manual_seed(mut_gen.initial_seed() + 97001)
        x = balanced_start(es.ask(), space.mask, design)
        mo._query_tell(tracker, es, multi, x, space.decode(x), set(), run, True)
        return None
    return orig(space, tracker, es, multi, moves, mut_gen, run, inject)


if variant == "balanced":
    mo._generation = patched
torch.set_num_threads(1)
rows, t0 = [], time.perf_counter()
for d in datasets:
    for dev in bm.DEVICES:
        cell = bm.Cell(d, dev)
        for r in bm.run_cell(cell, ["ednag"], seeds, [100, 300], {}):
            rows.append({**r, "method": f"ednag {variant} start"})
        print(f"{d} {dev}: {time.perf_counter() - t0:.0f} s", flush=True)
        Path(out).write_text(json.dumps({"rows": rows}, indent=1))
