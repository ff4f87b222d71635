"""Apply results/s18/RULE18_warm.md. python results/s18/rule_warm.py"""
import json
import sys
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "s17"))
from rules_common import load  # noqa: E402


def ofa(label, seeds, src=None):
    path = src or HERE / "ofa" / f"ofa-{label}.jsonl"
    recs = map(json.loads, path.open()) if path.suffix == ".jsonl" else json.loads(path.read_text())
    return {r["seed"]: r["at"]["10000"]["report"] for r in recs
            if r["problem"] == "acc" and r["method"] == label and r["seed"] in seeds}


def paired(new, old, name):
    keys = sorted(set(new) & set(old))
    d = np.array([new[k] - old[k] for k in keys])
    p = wilcoxon(d).pvalue if np.any(d) else 1.0
    print(f"{name}: {len(keys)} seeds, medians {np.median([new[k] for k in keys]):.3f} vs "
          f"{np.median([old[k] for k in keys]):.3f}, mean paired difference {d.mean():+.4f} "
          f"(Wilcoxon p {p:.3g}), higher on {(d > 0).sum()}, lower on {(d < 0).sum()}")
    return d.mean(), p, len(keys)


m, p, n = paired(ofa("ednag warm", range(180, 200)), ofa("ednag default", range(180, 200)),
                 "(a) MobileNetV3 @10000, seeds 180-199")
a = n == 20 and m >= 0 and not (p < 0.05 and m < 0)
print("(a)", "holds" if a else "fails")
q = lambda r: r["q_opt"] or 2000  # noqa: E731
new, old = load("nb201", ["s18 warm"], range(100, 200)), load("nb201", ["s18 default"], range(100, 200))
b = len(set(new) & set(old)) == 300
for ds in ("cifar10", "cifar100", "ImageNet16-120"):
    ks = sorted(k for k in set(new) & set(old) if k[0] == ds)
    x, y = np.array([q(new[k]) for k in ks]), np.array([q(old[k]) for k in ks])
    pv = wilcoxon(x - y).pvalue if np.any(x - y) else 1.0
    b &= not (pv < 0.05 and np.median(x - y) > 0) and (x <= 1000).sum() >= (y <= 1000).sum()
    print(f"(b) NB201 {ds}: medians {np.median(x):.1f} vs {np.median(y):.1f}, paired p {pv:.3g}, "
          f"hits {(x <= 1000).sum()} vs {(y <= 1000).sum()}, runs that differ {(x != y).sum()}")
print("(b)", "holds" if b else "fails")
held = HERE.parent / "s17" / "heldout_ofa" / "ofa.json"
m2, _, n2 = paired(ofa("ednag warm", range(20, 40)), ofa("ednag default", range(20, 40), held),
                   "(c) MobileNetV3 @10000, kept-aside seeds 20-39")
c = n2 == 20 and m2 >= 0
print("(c)", "holds" if c else "fails")
print("ADOPT" if a and b and c else "NOT ADOPTED")
