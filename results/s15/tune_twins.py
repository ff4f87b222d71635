"""Tuning (issue 16, session 15): the twin phase with another cost model, on tuning seeds.
The package's twin phase fits ``Ridge(alpha=1.0)`` on the one-hot encoding; this driver
swaps that model (monkeypatch) and runs ``twins=SHARE`` on the 15 rule cells.

python results/s15/tune_twins.py MODEL SHARE SEEDS OUT   (MODEL: ridge, pairs, gbm, ...)
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import torch
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import PolynomialFeatures

import bench_multiobjective as bm
import importlib
tw = importlib.import_module("ednag_opt.search.twins")

MODELS = {
    "ridge": lambda: Ridge(alpha=1.0),
    "pairs": lambda: make_pipeline(PolynomialFeatures(2, interaction_only=True, include_bias=False),
                                   Ridge(alpha=1.0)),
    "gbm": lambda: HistGradientBoostingRegressor(max_iter=200, random_state=0),
    "gbm100": lambda: HistGradientBoostingRegressor(max_iter=100, learning_rate=0.1,
                                                    max_leaf_nodes=15, random_state=0),
}
model, share, seeds, out = sys.argv[1], float(sys.argv[2]), bm._ints(sys.argv[3]), sys.argv[4]
if model.endswith("-nostair"):  # the option without the staircase ordering (session 15)
    model = model[: -len("-nostair")]
    tw.cost_levels = lambda cost: False
tw.Ridge = lambda alpha=1.0: MODELS[model]()
devices = sys.argv[5].split(",") if len(sys.argv) > 5 else [
    "edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency", "fpga_latency"]
torch.set_num_threads(1)
name = f"ednag twins {share} {sys.argv[1]}" if share else "ednag"
rows, t0 = [], time.perf_counter()
for d in bm.DATASETS:
    for dev in devices:
        cell = bm.Cell(d, dev)
        for r in bm.run_cell(cell, ["ednag"], seeds, [100, 300, 1000], {"ednag": {"twins": share}}):
            rows.append({**r, "method": name})
        print(f"{d} {dev}: {time.perf_counter() - t0:.0f} s", flush=True)
        Path(out).write_text(json.dumps({"rows": rows}, indent=1))
