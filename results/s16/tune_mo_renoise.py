"""Screen (issue 16, session 16, after #18's adoption): the renoised draws in the
multi-objective searcher's guided proposals (monkeypatch: ``guided_offspring(..., renoise=K)``
inside ``search.ednag_mo``), tuning seeds, the 15 rule cells, 1,000 queries.
python results/s16/tune_mo_renoise.py K SEEDS OUT   (K = 0: the default)"""
import importlib
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import torch

import bench_multiobjective as bm
from ednag_opt.search.guided import guided_offspring

mo = importlib.import_module("ednag_opt.search.ednag_mo")
k, seeds, out = int(sys.argv[1]), bm._ints(sys.argv[2]), sys.argv[3]
mo.guided_offspring = lambda *a, **kw: guided_offspring(*a, **kw, renoise=k)
torch.set_num_threads(1)
rows, t0 = [], time.perf_counter()
for d in bm.DATASETS:
    for dev in bm.DEVICES:
        cell = bm.Cell(d, dev)
        for r in bm.run_cell(cell, ["ednag"], seeds, [100, 300, 1000], {}):
            rows.append({**r, "method": f"ednag renoise {k}" if k else "ednag"})
        print(f"{d} {dev}: {time.perf_counter() - t0:.0f} s", flush=True)
        Path(out).write_text(json.dumps({"rows": rows}, indent=1))
