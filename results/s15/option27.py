"""The twin option as it now ships (pair features; staircase on the 12 level cells) over all
27 cells, seeds 0-19, against the default and NSGA-II (session 14's rows): front share at
1,000, cells significantly better / worse, HV against the default and NSGA-II at 100 / 300 /
1,000. python results/s15/option27.py"""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

HERE = Path(__file__).resolve().parent
LEVELS = ("fpga_latency", "fpga_energy", "eyeriss_latency", "eyeriss_energy")
by = defaultdict(lambda: defaultdict(dict))
for f in sorted((HERE.parent / "mo14").glob("twins_*.json")):
    for r in json.loads(f.read_text())["rows"]:
        if r["method"] in ("ednag", "nsga2"):
            by[(r["dataset"], r["device"])][r["method"]][r["seed"]] = r
for name in ("rep_pairs_a", "rep_pairs_b", "rep_pkg_c", "rep_pkg_d", "rep_stair_a", "rep_stair_b"):
    for r in json.loads((HERE / f"{name}.json").read_text())["rows"]:
        level = r["device"] in LEVELS
        if level == name.startswith("rep_stair"):  # level cells: the staircase runs
            by[(r["dataset"], r["device"])]["option"][r["seed"]] = r
RULE14 = ("edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency", "fpga_latency")
rec, better, worse, low, ge_ns, ge_ns_def = defaultdict(list), 0, 0, 0, 0, 0
rule_rec, rule_low = defaultdict(list), 0
for key, m in by.items():
    seeds = sorted(m["option"])
    assert seeds == list(range(20)), key

    def med(k, col, m=m, seeds=seeds):
        return float(np.median([m[k][s][col] for s in seeds]))

    for k in ("ednag", "option", "nsga2"):
        rec[k].append(med(k, "recovered@1000"))
    a = [m["option"][s]["recovered@1000"] for s in seeds]
    b = [m["ednag"][s]["recovered@1000"] for s in seeds]
    if mannwhitneyu(a, b).pvalue < 0.05:
        better += np.median(a) > np.median(b)
        worse += np.median(a) < np.median(b)
    low += med("option", "hv@1000") < med("ednag", "hv@1000")
    if key[1] in RULE14:  # session 14's rule cells
        for k in ("ednag", "option"):
            rule_rec[k].append(med(k, "recovered@1000"))
        rule_low += med("option", "hv@1000") < med("ednag", "hv@1000")
    for bud in (100, 300, 1000):
        ge_ns += med("option", f"hv@{bud}") >= med("nsga2", f"hv@{bud}")
        ge_ns_def += med("ednag", f"hv@{bud}") >= med("nsga2", f"hv@{bud}")
print(f"{len(by)} cells; front cells @1000: option {np.mean(rec['option']):.3f}, default "
      f"{np.mean(rec['ednag']):.3f}, NSGA-II {np.mean(rec['nsga2']):.3f}; option significantly "
      f"better in {better}, worse in {worse}; option HV@1000 below the default's in {low}; HV >= "
      f"NSGA-II's in {ge_ns} of {3 * len(by)} cell-budgets (default {ge_ns_def})")
print(f"session 14's 15 rule cells: option {np.mean(rule_rec['option']):.3f} vs default "
      f"{np.mean(rule_rec['ednag']):.3f}; HV@1000 below the default's in {rule_low}")
