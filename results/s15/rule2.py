"""The second rule of results/s15/RULE.md: the staircase ordering (rep_stair_{a,b}.json, the
package) against the pairs option (rep_pairs_b.json, rep_pkg_{c,d}.json) and the default
(results/mo14/twins_*.json) on the 12 level cells, seeds 0-19. python results/s15/rule2.py"""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

HERE = Path(__file__).resolve().parent
LEVELS = ("fpga_latency", "fpga_energy", "eyeriss_latency", "eyeriss_energy")
by = defaultdict(lambda: defaultdict(dict))
for f, name in [(p, None) for p in sorted((HERE.parent / "mo14").glob("twins_*.json"))] + \
        [(HERE / "rep_pairs_b.json", "pairs"), (HERE / "rep_pkg_c.json", "pairs"),
         (HERE / "rep_pkg_d.json", "pairs"), (HERE / "rep_stair_a.json", "stair"),
         (HERE / "rep_stair_b.json", "stair")]:  # fmt: skip
    for r in json.loads(f.read_text())["rows"]:
        if r["device"] in LEVELS and (name or r["method"] in ("ednag", "nsga2")):
            by[(r["dataset"], r["device"])][name or r["method"]][r["seed"]] = r
print("| cell | front @1000: default | pairs option | staircase | p (staircase vs pairs) "
      "| HV @1000: default | pairs option | staircase | NSGA-II |")
print("|---|---|---|---|---|---|---|---|---|")
rec, lower_pairs, lower_def = defaultdict(list), 0, 0
for key in sorted(by):
    m = by[key]
    seeds = sorted(m["stair"])
    assert seeds == list(range(20)), (key, seeds)

    def med(k, col, m=m, seeds=seeds):
        return float(np.median([m[k][s][col] for s in seeds]))

    for k in ("ednag", "pairs", "stair"):
        rec[k].append(med(k, "recovered@1000"))
    p = mannwhitneyu([m["stair"][s]["recovered@1000"] for s in seeds],
                     [m["pairs"][s]["recovered@1000"] for s in seeds]).pvalue
    lower_pairs += med("stair", "hv@1000") < med("pairs", "hv@1000")
    lower_def += med("stair", "hv@1000") < med("ednag", "hv@1000")
    print(f"| {key[0]} x {key[1]} | {med('ednag', 'recovered@1000'):.3f} | "
          f"{med('pairs', 'recovered@1000'):.3f} | {med('stair', 'recovered@1000'):.3f} | {p:.2g} | "
          + " | ".join(f"{med(k, 'hv@1000'):.5f}" for k in ("ednag", "pairs", "stair", "nsga2"))
          + " |")
print(f"\nmean of cell medians: default {np.mean(rec['ednag']):.3f}, pairs option "
      f"{np.mean(rec['pairs']):.3f}, staircase {np.mean(rec['stair']):.3f}; staircase HV@1000 "
      f"below the pairs option's in {lower_pairs} of {len(by)} cells, below the default's in {lower_def}")
