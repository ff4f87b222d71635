"""Seeds kept aside (20-39) for the staircase (issue 16, session 15): the option as it ships
(held_stair.json), the option without the staircase (held_pairs.json) and the default
(results/mo14/heldout_b.json for FPGA latency, held_def_{a,b}.json for Eyeriss) on 9 level
cells (FPGA energy gives the same runs as FPGA latency). python results/s15/heldout2.py"""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

HERE = Path(__file__).resolve().parent
by = defaultdict(lambda: defaultdict(dict))
sources = [(HERE / "held_stair.json", "stair"), (HERE / "held_pairs.json", "pairs"),
           (HERE.parent / "mo14" / "heldout_b.json", None), (HERE / "held_def_a.json", None),
           (HERE / "held_def_b.json", None)]  # fmt: skip
for f, name in sources:
    for r in json.loads(f.read_text())["rows"]:
        if name or r["method"] == "ednag":
            if r["device"] in ("fpga_latency", "eyeriss_latency", "eyeriss_energy"):
                by[(r["dataset"], r["device"])][name or "default"][r["seed"]] = r
rec, sig, low = defaultdict(list), [0, 0], 0
print("| cell | front @1000: default | pairs | staircase | p (staircase vs pairs) | HV: pairs | staircase |")
print("|---|---|---|---|---|---|---|")
for key in sorted(by):
    m = by[key]
    seeds = sorted(m["stair"])

    def med(k, col, m=m, seeds=seeds):
        return float(np.median([m[k][s][col] for s in seeds]))

    for k in ("default", "pairs", "stair"):
        rec[k].append(med(k, "recovered@1000"))
    a = [m["stair"][s]["recovered@1000"] for s in seeds]
    b = [m["pairs"][s]["recovered@1000"] for s in seeds]
    p = mannwhitneyu(a, b).pvalue
    if p < 0.05:
        sig[int(np.median(a) < np.median(b))] += 1
    low += med("stair", "hv@1000") < med("pairs", "hv@1000")
    print(f"| {key[0]} x {key[1]} | {med('default', 'recovered@1000'):.3f} | "
          f"{med('pairs', 'recovered@1000'):.3f} | {med('stair', 'recovered@1000'):.3f} | {p:.2g} | "
          f"{med('pairs', 'hv@1000'):.5f} | {med('stair', 'hv@1000'):.5f} |")
print(f"\nmeans: default {np.mean(rec['default']):.3f}, pairs {np.mean(rec['pairs']):.3f}, staircase "
      f"{np.mean(rec['stair']):.3f}; staircase significantly ahead of pairs in {sig[0]}, behind in "
      f"{sig[1]}; HV below pairs in {low} of {len(by)}")
