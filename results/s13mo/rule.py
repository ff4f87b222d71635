"""Apply results/s13mo/RULE.md to the second tuning block. Usage: python rule.py tune2.jsonl"""

import json
import sys

import pandas as pd

df = pd.DataFrame([json.loads(x) for x in open(sys.argv[1])])
med = df.pivot_table(index="problem", columns="variant", values="hv", aggfunc="median")
count = df.pivot_table(index="problem", columns="variant", values="hv", aggfunc="count")
print(med.round(4).to_string())
print("runs per cell:", int(count.min().min()), "-", int(count.max().max()))
ranks = med.rank(axis=1, ascending=False).mean()
print("mean rank:", ranks.round(2).to_dict())
low = df[(df.problem == "zdt3") & (df.hv < 0.97)].groupby("variant").size().to_dict()
print("ZDT3 runs below 0.97:", low)
ok = []
for v in [c for c in med.columns if c != "default"]:
    fine = all(med.loc[p, v] >= med.loc[p, "default"] - 0.002
               for p in ("zdt1", "zdt2", "zdt3", "dtlz2"))
    fine = fine and low.get(v, 0) <= low.get("default", 0)
    print(v, "qualifies" if fine else "does not qualify")
    if fine:
        ok.append(v)
print("adopt:", min(ok, key=lambda v: ranks[v]) if ok else None)
