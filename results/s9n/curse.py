"""Winner's curse on stored nb201-noisy runs (with "q"): mean seed-mean test accuracy of
the best observed cell, the rule's cell, the queried cell with the best seed-mean
validation accuracy, and the best queried test accuracy (oracle)."""
import json, sys
import numpy as np
from scipy import stats
from ednag_opt.fitness import NB201Fitness
from ednag_opt.spaces import get_space
SP = get_space("nas-bench-201"); ARCHS = SP.enumerate()
DS = ("cifar10", "cifar100", "ImageNet16-120")
TEST = {d: NB201Fitness(d, metric="test").test_accuracy(ARCHS).numpy() for d in DS}
VALM = {d: np.nanmean(NB201Fitness(d, metric="val", noisy=True).table.per_seed["val"], 1) for d in DS}
recs = [r for r in json.load(open(sys.argv[1])) if "q" in r]
methods = sys.argv[2].split(",") if len(sys.argv) > 2 else sorted({r["method"] for r in recs})
print("| method | budget | best observed | model rule (Δ, p) | best seed-mean val among queried (Δ) | best test among queried (Δ) |")
print("|---|---|---|---|---|---|")
import os
groups = [(m, None) for m in methods]
if os.environ.get("PER_DS"):
    groups = [(m, d) for m in methods for d in DS]
for m, dsel in groups:
    for b in ("50", "100", "300"):
        bo, rule, vm, orc = [], [], [], []
        for r in recs:
            if r["method"] != m or (dsel and r["problem"] != dsel):
                continue
            q = np.array(r["q"])[: int(b)]; idx = q[:, 0].astype(int); t = TEST[r["problem"]][idx]
            bo.append(t[np.argmax(q[:, 1])]); vm.append(t[np.argmax(VALM[r["problem"]][idx])]); orc.append(t.max())
            rule.append(r["at"][b]["report"] if "at_best" in r else r["at_model"][b]["report"])
        bo, rule, vm, orc = map(np.array, (bo, rule, vm, orc))
        p = stats.wilcoxon(rule - bo).pvalue if np.any(rule != bo) else 1.0
        print(f"| {m}{' ' + dsel if dsel else ''} | {b} | {bo.mean():.3f} | {rule.mean():.3f} ({(rule-bo).mean():+.3f}, {p:.2g}) | {vm.mean():.3f} ({(vm-bo).mean():+.3f}) | {orc.mean():.3f} ({(orc-bo).mean():+.3f}) |")
