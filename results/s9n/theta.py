"""Gain of the rule on stored noisy tuning runs for a theta grid (env THETAS)."""
import json, os, sys
import numpy as np
from scipy import stats
import importlib; R = importlib.import_module("ednag_opt.search.recommend")
sys.path.insert(0, "results/s9n")
import proto
if os.environ.get("THETAS"):
    R._THETAS = tuple(float(x) for x in os.environ["THETAS"].split(","))
for lab in sys.argv[1:]:
    g = {50: [], 100: [], 300: []}
    for line in open(f"results/t18/nb201-noisy-{lab}.jsonl"):
        r = json.loads(line); q = np.array(r["q"]); ds = r["problem"]
        for b in g:
            idx = q[:b, 0].astype(int); y = q[:b, 1]; t = proto.TEST[ds][idx]
            rec = R.recommend([(proto.ARCHS[i], v) for i, v in zip(idx, y)], proto.SP)
            g[b].append(t[rec.query - 1] - t[np.argmax(y)])
    allg = np.concatenate(list(g.values()))
    print(lab, " ".join(f"@{b} {np.mean(x):+.3f}" for b, x in g.items()), f"all {allg.mean():+.4f} p {stats.wilcoxon(allg).pvalue:.2g}", flush=True)
