"""Apply results/s15/RULE_DEFAULT.md (issue 16): the shipped twin option against the default
on seeds 20-39 (the decision set) and 0-19 (reported next to it), all 27 cells, with the
paired HV@1000 statistics. python results/s15/default_rule.py"""
import json
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

HERE = Path(__file__).resolve().parent
MO14 = HERE.parent / "mo14"
LEVELS = ("fpga_latency", "fpga_energy", "eyeriss_latency", "eyeriss_energy")
SETS = {
    "20-39": {"default": [MO14 / "heldout_a.json", MO14 / "heldout_b.json", HERE / "held_def_a.json",
                          HERE / "held_def_b.json", HERE / "h20" / "def_a.json"],
              "option": [HERE / "held_stair.json", HERE / "h20" / "opt_a.json", HERE / "h20" / "opt_b.json"],
              "nsga2": [HERE / "h20" / "nsga2.json"]},
    "0-19": {"default": sorted(MO14.glob("twins_*.json")), "nsga2": sorted(MO14.glob("twins_*.json")),
             "option": [HERE / f"{n}.json" for n in ("rep_pairs_a", "rep_pairs_b", "rep_pkg_c",
                                                     "rep_pkg_d", "rep_stair_a", "rep_stair_b")]},
}  # fmt: skip


def rows(kind: str, files: list[Path]) -> dict:
    out = defaultdict(dict)
    for f in files:
        for r in json.loads(f.read_text())["rows"]:
            ok = {"default": r["method"] == "ednag", "nsga2": r["method"] == "nsga2",
                  "option": r["method"].startswith("ednag twins 0.1")}[kind]  # fmt: skip
            if kind == "option" and f.name.startswith(("rep_pairs", "rep_pkg")):
                ok = ok and r["device"] not in LEVELS  # level cells: the staircase runs
            if ok:
                out[(r["dataset"], r["device"])][r["seed"]] = r
    return out


for tag, files in SETS.items():
    d, o, n = (rows(k, files[k]) for k in ("default", "option", "nsga2"))
    cells = sorted(o)
    rec_o, rec_d, meds, sig_neg, ns_o, ns_d = [], [], [], 0, 0, 0
    for c in cells:
        seeds = sorted(o[c])
        assert seeds == sorted(d[c]) and len(seeds) == 20, (tag, c, len(seeds), len(d[c]))
        rec_o.append(np.median([o[c][s]["recovered@1000"] for s in seeds]))
        rec_d.append(np.median([d[c][s]["recovered@1000"] for s in seeds]))
        diff = np.array([o[c][s]["hv@1000"] - d[c][s]["hv@1000"] for s in seeds])
        meds.append(float(np.median(diff)))
        if np.any(diff != 0) and wilcoxon(diff).pvalue < 0.05 and np.median(diff) < 0:
            sig_neg += 1
        hv_n = np.median([n[c][s]["hv@1000"] for s in n[c]])
        hv_o = np.median([o[c][s]["hv@1000"] for s in seeds])
        hv_d = np.median([d[c][s]["hv@1000"] for s in seeds])
        ns_o, ns_d = ns_o + (hv_o >= hv_n), ns_d + (hv_d >= hv_n)
        if min(hv_o, hv_d) < hv_n:
            print(f"  {tag} {c[0]} x {c[1]}: HV option {hv_o:.5f}, default {hv_d:.5f}, NSGA-II {hv_n:.5f}")
    print(f"seeds {tag}, {len(cells)} cells: (a) front {np.mean(rec_o):.3f} vs {np.mean(rec_d):.3f}; "
          f"(b) cells significantly lower (paired) {sig_neg}; (c) mean of median paired HV "
          f"differences {np.mean(meds):+.2e} (negative medians in {sum(m < 0 for m in meds)}); "
          f"(d) HV >= NSGA-II's: option {ns_o}, default {ns_d}")
