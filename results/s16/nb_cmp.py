"""NB201 tuning runs of tune_small labels: median queries to the validation optimum per
dataset, hits within 1,000. python results/s16/nb_cmp.py LABEL..."""
import json
import sys

import numpy as np

for lab in sys.argv[1:]:
    R = [json.loads(line) for line in open(f"results/t18/nb201-{lab}.jsonl")]
    cells = []
    for p in ("cifar10", "cifar100", "ImageNet16-120"):
        q = [r["q_opt"] or 10**4 for r in R if r["problem"] == p]
        cells.append(f"{p} {np.median(q):.1f} ({sum(x <= 1000 for x in q)}/{len(q)})")
    share = np.mean([r["origins"].get("diffusion", 0) / max(r["unique"], 1) for r in R])
    print(f"{lab:20s}", " | ".join(cells), f"| diffusion {share:.0%}")
