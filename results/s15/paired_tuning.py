"""A paired criterion for making the twin phase the default (issue 16; prepared in session 15
for a later rule, tuning seeds only): per cell, the per-seed HV@1000 difference option -
default, its median, and a Wilcoxon signed-rank p. The option is assembled from the runs of
this session (pairs rows where costs never repeat, the simulator's staircase rows on FPGA).
With 5 seeds per block a Wilcoxon p cannot fall below 0.0625, hence the pooled row.
python results/s15/paired_tuning.py"""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

HERE = Path(__file__).resolve().parent
BLOCKS = [("100-104", [HERE.parent / "s14" / "tuning" / "tw_a.json", HERE.parent / "s14" / "tuning" / "tw_b.json"],
           HERE / "tw_pairs.json", HERE / "lvl_100.jsonl"),
          ("105-109", [HERE / "tw_def_105.json"], HERE / "tw_pairs_105.json", HERE / "lvl_105.jsonl")]  # fmt: skip
pooled = defaultdict(lambda: defaultdict(dict))
for tag, defaults, pairs, levels in BLOCKS + [("100-109 pooled", None, None, None)]:
    by = pooled if defaults is None else defaultdict(lambda: defaultdict(dict))
    for f in defaults or []:
        for r in json.loads(f.read_text())["rows"]:
            if r["method"] == "ednag":
                by[(r["dataset"], r["device"])]["default"][r["seed"]] = (r["recovered@1000"], r["hv@1000"])
    for r in json.loads(pairs.read_text())["rows"] if pairs else []:
        if r["device"] != "fpga_latency":
            by[(r["dataset"], r["device"])]["option"][r["seed"]] = (r["recovered@1000"], r["hv@1000"])
    for line in levels.read_text().splitlines() if levels else []:
        r = json.loads(line)
        d, dev = r["cell"].split("/")
        if dev == "fpga_latency":
            by[(d, dev)]["option"][r["seed"]] = (r["stair"], r["hv_stair"])
    for key, m in by.items():  # pooled: every block's seeds
        for k, v in m.items():
            pooled[key][k].update(v)
    meds, sig_low, all_d = [], 0, []
    for m in by.values():
        seeds = sorted(m["option"])
        diff = np.array([m["option"][s][1] - m["default"][s][1] for s in seeds])
        all_d += list(diff)
        meds.append(float(np.median(diff)))
        if np.any(diff != 0) and wilcoxon(diff).pvalue < 0.05 and np.median(diff) < 0:
            sig_low += 1
    all_d = np.array(all_d)
    print(f"seeds {tag}, {len(by)} cells: median paired HV diff < 0 in {sum(x < 0 for x in meds)} cells, "
          f"significantly lower in {sig_low}; mean of cell medians {np.mean(meds):+.2e}; runs higher "
          f"{int((all_d > 0).sum())}, lower {int((all_d < 0).sum())}, mean {all_d.mean():+.2e}")
