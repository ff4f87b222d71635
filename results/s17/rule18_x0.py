"""Apply results/s17/RULE18_x0.md (issue 18, session 17): the x0 estimate over decoded
architectures against the default on seeds 140-179. python results/s17/rule18_x0.py"""
import json
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

T18 = Path(__file__).resolve().parents[1] / "t18"


def load(bench, *labels):
    out = {}
    for lab in labels:
        for r in map(json.loads, (T18 / f"{bench}-{lab}.jsonl").open()):
            if 140 <= r["seed"] <= 179:
                out[(r["problem"], r["seed"])] = r
    return out


new, old = load("transnas", "d17 x0dec", "d17 x0dec b"), load("transnas", "r2 renoise")
keys = sorted(set(new) & set(old))
ok_a, sig = True, False
for b in ("50", "100", "300"):
    d = np.array([new[k]["at"][b]["report"] - old[k]["at"][b]["report"] for k in keys])
    p = wilcoxon(d).pvalue
    ok_a &= d.mean() <= 0
    sig |= d.mean() < 0 and p < 0.05
    print(f"TransNAS @{b}: {len(d)} runs, mean difference {d.mean():+.4f} (Wilcoxon p {p:.3g})")
print("(a)", "holds" if ok_a and sig else "fails")
new, old = load("nb201", "d17 x0dec"), load("nb201", "r2 renoise")
keys = sorted(set(new) & set(old))
q = lambda r: r["q_opt"] or 2000  # noqa: E731
logs, ok_b, ok_c = [], True, True
for ds in ("cifar10", "cifar100", "ImageNet16-120"):
    ks = [k for k in keys if k[0] == ds]
    a, b = np.array([q(new[k]) for k in ks]), np.array([q(old[k]) for k in ks])
    d = a - b
    p = wilcoxon(d).pvalue if np.any(d) else 1.0
    ok_b &= not (p < 0.05 and np.median(d) > 0)
    hits = (int((a <= 1000).sum()), int((b <= 1000).sum()))
    ok_c &= hits[0] >= hits[1]
    logs += list(np.log(a / b))
    print(f"NB201 {ds}: medians {np.median(a):.1f} vs {np.median(b):.1f}, paired p {p:.3g}, "
          f"hits {hits[0]} vs {hits[1]} of {len(ks)}")
ok_b &= np.mean(logs) <= 0
print(f"NB201 mean log ratio {np.mean(logs):+.3f}; (b)", "holds" if ok_b else "fails", "; (c)",
      "holds" if ok_c else "fails")
print("ADOPT" if ok_a and sig and ok_b and ok_c and len(new) >= 560 else "NOT ADOPTED (or incomplete)")
