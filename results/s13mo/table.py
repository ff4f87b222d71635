"""Medians per problem and variant of a sweep file. Usage: python table.py FILE.jsonl"""

import json
import sys

import pandas as pd

df = pd.DataFrame([json.loads(x) for x in open(sys.argv[1])])
t = df.pivot_table(index="problem", columns="variant", values="hv", aggfunc="median")
print(t.round(4).to_string())
