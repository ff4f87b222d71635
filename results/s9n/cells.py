"""Cell counts on stored runs: default (BO / rule) vs baselines (BO / rule); pooled mean gain."""
import os, sys, json, pickle
import numpy as np
sys.path.insert(0, "results/s9n")
import proto
from scipy import stats
LAB = {"s9def": "default", "s9rea": "REA", "s9local": "local", "s9random": "random", "s9tpe": "TPE"}
kind = os.environ.get("KINDS", "ham")
res = {}
for lab, name in LAB.items():
    for line in open(f"results/t18/nb201-noisy-{lab}.jsonl"):
        r = json.loads(line); ds = r["problem"]; q = np.array(r["q"])
        for b in (50, 100, 300):
            idx = q[:b, 0].astype(int); y = q[:b, 1]; t = proto.TEST[ds][idx]
            m = proto.rule(idx, y, kind)[0]
            res.setdefault((name, ds, b), []).append((r["seed"], t[np.argmax(y)], t[np.argmax(m)]))
med = lambda v: float(np.median(v))
for mode in ("BO", "rule"):
    print(f"--- default {mode} vs baselines BO | vs baselines rule")
    wins = [0, 0]
    for ds in proto.TEST:
        for b in (50, 100, 300):
            d = np.array(res[("default", ds, b)])[:, 1 if mode == "BO" else 2]
            line = f"{ds[:8]:8s} @{b:3d} def {med(d):.2f} |"
            for j, bm in enumerate((1, 2)):
                other = {n: med(np.array(res[(n, ds, b)])[:, bm]) for n in ("REA", "local", "random", "TPE")}
                w = all(med(d) > o for o in other.values()); wins[j] += w
                line += " " + " ".join(f"{n} {o:.2f}" for n, o in other.items()) + (" WIN |" if w else " --- |")
            print(line)
    print("wins vs BO baselines:", wins[0], " vs rule baselines:", wins[1])
allg = {n: np.concatenate([np.array(res[(n, ds, b)])[:, 2] - np.array(res[(n, ds, b)])[:, 1] for ds in proto.TEST for b in (50, 100, 300)]) for n in LAB.values()}
print("mean gain of rule per method:", {n: round(float(g.mean()), 4) for n, g in allg.items()})
pickle.dump(res, open(f"results/s9n/cells_{kind}_{os.environ.get('TOP','1')}.pkl", "wb"))
