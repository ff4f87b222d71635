"""Apply results/s17/RULE18_ofa.md (issue 18, session 17): 16 renoised draws in MobileNetV3's
10,000-call runs against the default, seeds 160-179. python results/s17/rule18_ofa.py"""
import json
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

runs = [json.loads(line) for line in open(Path(__file__).parent / "ofa_decide.jsonl")]
by = {(r["method"], r["seed"]): r for r in runs if r["problem"] == "acc" and 160 <= r["seed"] <= 179}
seeds = sorted(s for m, s in by if m == "ednag renoise=16" and ("ednag default", s) in by)
ok_a, ok_b = True, False
for b in ("1000", "10000"):
    new = np.array([by[("ednag renoise=16", s)]["at"][b]["report"] for s in seeds])
    old = np.array([by[("ednag default", s)]["at"][b]["report"] for s in seeds])
    d = new - old
    p = wilcoxon(d).pvalue if np.any(d) else 1.0
    ok_a &= d.mean() >= 0
    ok_b |= d.mean() > 0 and p < 0.05
    print(f"@{b} ({len(seeds)} seeds): medians {np.median(new):.3f} vs {np.median(old):.3f}, "
          f"mean difference {d.mean():+.3f}, above {int((d > 0).sum())}/{len(d)}, Wilcoxon p {p:.3g}")
print("(a)", "holds" if ok_a else "fails", "; (b)", "holds" if ok_b else "fails")
print("ADOPT" if ok_a and ok_b and len(seeds) == 20 else "NOT ADOPTED")
