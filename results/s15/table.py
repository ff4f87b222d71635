"""Session 15's per-cell table (issue 16): front cells recovered at 1,000 queries by the
default and by the twin option (pair-feature cost model; seeds 0-19 medians) against the two
oracles (results/s15/oracle_both.log, oracle_adaptive.log). python results/s15/table.py"""
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
MO14 = HERE.parents[0] / "mo14"
files = sorted(MO14.glob("twins_*.json")) + sorted(HERE.glob("rep_p*.json"))
by = defaultdict(lambda: defaultdict(list))
for f in files:
    for r in json.loads(f.read_text())["rows"]:
        # rep_pairs_*: the monkeypatched pair model; rep_pkg_*: the package (pairs since s15)
        m = "twins" if r["method"].startswith("ednag twins 0.1 ") else r["method"]
        by[(r["dataset"], r["device"])][m].append(r["recovered@1000"])


def oracle(name: str) -> dict[tuple[str, str], float]:
    out = {}
    for line in (HERE / name).read_text().splitlines():
        m = re.match(r"\| (\S+) x (\S+) \| \d+ \| ([\d.]+) \|$", line)
        if m:
            out[(m[1], m[2])] = float(m[3])
    return out


na, ad = oracle("oracle_both.log"), oracle("oracle_adaptive.log")
print("| cell | default | twins=0.1 | NSGA-II | oracle, fixed 1,000 | oracle, adaptive |")
print("|---|---|---|---|---|---|")
cols = defaultdict(list)
for key in ad:
    m = by[key]
    vals = {"default": np.median(m["ednag"]), "twins": np.median(m["twins"]),
            "nsga2": np.median(m["nsga2"]), "na": na[key], "ad": ad[key]}
    for k, v in vals.items():
        cols[k].append(v)
    print(f"| {key[0]} x {key[1]} | " + " | ".join(f"{v:.3f}" for v in vals.values()) + " |")
print("| mean (cells at >= 0.9) | " + " | ".join(
    f"{np.mean(v):.3f} ({int(np.sum(np.array(v) >= 0.9))})" for v in cols.values()) + " |")
