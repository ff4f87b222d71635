"""Scratch (s28): one file for results/s22/summary.py: session 26's default ("ednag", cost
queried) and its cost-lookup row (relabelled as the ablation: session 26's twin ranking)
from results/s26/final_rep27.json, with the rows of session 28's runs (NSGA-II from
session 28's files: bit-identical to session 26's, checked row by row).
Usage: python results/s28/combine.py OUT S28FILES"""
import json
import sys

OLD = "ednag, cheap cost + twins=auto (GP sweep, stop 0.5)"
ABL = "ednag, the same with session 26's twin ranking (the fix's ablation)"
out, files = sys.argv[1], sys.argv[2].split(",")
rows = []
for r in json.load(open("results/s26/final_rep27.json"))["rows"]:
    if r["method"] == "ednag":
        rows.append(r)
    elif r["method"] == OLD:
        rows.append({**r, "method": ABL})
rows += [r for f in files for r in json.load(open(f))["rows"]]
json.dump({"command": "python results/s28/combine.py " + " ".join(sys.argv[1:]), "rows": rows},
          open(out, "w"))
