"""The default against its diffusion-off ablation and the former default on TransNAS, paired
by (task, seed): seeds 0-19, 20-39 and 0-39 (session 17). python results/s17/ablation39.py"""
import json
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

HERE = Path(__file__).resolve().parent
recs = [r for part in ("search", "heldout") for r in json.loads((HERE / part / "transnas.json").read_text())]
by = {(r["method"], r["problem"], r["seed"]): r for r in recs}
for other in ("ednag repair-only (no diffusion)", "ednag no renoise (session-15 default)"):
    for name, seeds in (("0-19", range(20)), ("20-39", range(20, 40)), ("0-39", range(40))):
        keys = [(p, s) for (m, p, s) in by if m == "ednag default" and s in seeds and (other, p, s) in by]
        parts = []
        for b in ("50", "100", "300"):
            d = np.array([by[(other, p, s)]["at"][b]["report"] - by[("ednag default", p, s)]["at"][b]["report"] for p, s in keys])
            parts.append(f"@{b} {d.mean():+.4f} (p {wilcoxon(d).pvalue:.2g})")
        print(f"{other} minus default, seeds {name} ({len(keys)} runs): " + ", ".join(parts))
