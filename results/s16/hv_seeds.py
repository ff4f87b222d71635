"""Issue 16's hypervolume target on every seed block run so far: the default's median
HV ratio against NSGA-II's in each of the 27 NB201 x HW-NAS-Bench cells at 100, 300 and
1,000 queries, on the reported seeds 0-19, the seeds kept aside 20-39, and all 40.
The rows are those of session 14 (0-19) and sessions 14-15 (20-39). python results/s16/hv_seeds.py"""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import mannwhitneyu

R = Path(__file__).resolve().parents[1]
FILES = sorted((R / "mo14").glob("*.json")) + [
    R / "s15" / "h20" / "def_a.json", R / "s15" / "h20" / "nsga2.json",
    R / "s15" / "held_def_a.json", R / "s15" / "held_def_b.json"]
by = defaultdict(lambda: defaultdict(dict))
for f in FILES:
    for r in json.loads(f.read_text())["rows"]:
        if r["method"] in ("ednag", "nsga2"):
            by[(r["dataset"], r["device"])][r["method"]][r["seed"]] = r
for lo, hi in ((0, 19), (20, 39), (0, 39)):
    seeds, ge, misses = range(lo, hi + 1), 0, []
    for (d, dev), m in sorted(by.items()):
        for b in (100, 300, 1000):
            e = [m["ednag"][s][f"hv@{b}"] for s in seeds]
            n = [m["nsga2"][s][f"hv@{b}"] for s in seeds]
            if np.median(e) >= np.median(n):
                ge += 1
            else:
                misses.append(f"{d} x {dev} @{b}: {np.median(e):.5f} vs {np.median(n):.5f} "
                              f"(p = {mannwhitneyu(e, n).pvalue:.2f})")
    print(f"seeds {lo}-{hi}: default's median HV >= NSGA-II's in {ge} of {3 * len(by)} cell-budgets")
    for line in misses:
        print("   ", line)
