"""Stage 2 of RULE19_kick.md: renoised restarts on kept-aside seeds 20-59 against the
session-18 default's and REA's stored runs (unconstrained runs reproduce; kick_repro.jsonl
re-makes seed 20 of the default to show it). python results/s19/kick_check.py"""

import gzip
import json
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu, wilcoxon

root = Path(__file__).resolve().parents[2]
old = {}
for p in ["results/s17/heldout_ofa/ofa.json.gz", "results/s18/ofa40/ofa.json.gz"]:
    for r in json.load(gzip.open(root / p, "rt")):
        if r["problem"] == "acc":
            old[(r["method"], r["seed"])] = r["at"]
new = {}
for name in ("kick_check_a", "kick_check_b", "kick_repro"):
    path = root / "results/s19" / f"{name}.jsonl"
    for line in path.open() if path.exists() else []:
        r = json.loads(line)
        new[(r["method"], r["seed"])] = r["at"]
seeds = [s for s in range(20, 60) if ("ednag renoised restarts", s) in new]
for b in ("1000", "10000"):
    k = np.array([new[("ednag renoised restarts", s)][b]["report"] for s in seeds])
    d = np.array([old[("ednag default", s)][b]["report"] for s in seeds])
    line = f"@{b} seeds {seeds[0]}-{seeds[-1]} ({len(seeds)}): renoised {np.median(k):.4f} vs default "
    line += f"{np.median(d):.4f}"
    if np.any(k != d):
        line += f" (higher {(k > d).sum()}, lower {(k < d).sum()}, Wilcoxon p {wilcoxon(k, d).pvalue:.3g})"
    for m in ("REA", "local search"):
        v = np.array([old[(m, s)][b]["report"] for s in seeds])
        line += f"; {m} {np.median(v):.4f} (Mann-Whitney p {mannwhitneyu(k, v).pvalue:.3g})"
    print(line)
if ("ednag default", 20) in new:
    same = new[("ednag default", 20)] == {b: {**a} for b, a in old[("ednag default", 20)].items()}
    print("seed 20 of the default re-made:", {b: round(a["report"], 4) for b, a in new[("ednag default", 20)].items()},
          "stored:", {b: round(a["report"], 4) for b, a in old[("ednag default", 20)].items()})
