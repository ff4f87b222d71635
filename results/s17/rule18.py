"""Apply results/s17/RULE18.md (issue 18, session 17): 32 renoised draws against the default
(16) on the decision block, seeds 180-199. python results/s17/rule18.py"""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

ROOT = Path(__file__).resolve().parents[2]
T18 = ROOT / "results" / "t18"
NEW, OLD = "d17 renoise32", "d17 renoise16"


def load(bench, label):
    lines = (T18 / f"{bench}-{label}.jsonl").open()
    return {(r["problem"], r["seed"]): r for r in map(json.loads, lines) if 180 <= r["seed"] <= 199}


def transnas():
    new, old = load("transnas", NEW), load("transnas", OLD)
    keys = sorted(set(new) & set(old))
    ok, sig = True, False
    for b in ("50", "100", "300"):
        d = np.array([new[k]["at"][b]["report"] - old[k]["at"][b]["report"] for k in keys])
        p = wilcoxon(d).pvalue
        ok &= d.mean() <= 0
        sig |= d.mean() < 0 and p < 0.05
        print(f"TransNAS @{b}: {len(d)} runs, mean difference {d.mean():+.4f} (Wilcoxon p {p:.3g})")
    # cells against the four baselines' runs on 180-199 (results/search/transnas.json)
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tune_small.py"), "--summary",
                          f"{OLD},{NEW}", "--seeds", "180-199"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout  # fmt: skip
    won = {}
    for line in out.splitlines():
        lab = line.split("|")[0].strip()
        if lab in (NEW, OLD):
            won[lab] = sum(int(part.split(":")[1].split("/")[0]) for part in line.split("|")[1:4])
    print(f"TransNAS cells won or tied at the optimum (3 budgets): {won[NEW]} vs {won[OLD]}")
    return ok and sig and won[NEW] >= won[OLD]


def nb201():
    new, old = load("nb201", NEW), load("nb201", OLD)
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
    print(f"NB201 mean log ratio {np.mean(logs):+.3f}; (b)", "holds" if ok_b else "fails",
          "; (c)", "holds" if ok_c else "fails")
    return ok_b and ok_c


a = transnas()
print("(a)", "holds" if a else "fails")
bc = nb201()
print("ADOPT" if a and bc else "NOT ADOPTED")
