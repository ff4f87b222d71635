"""Scratch (s26): one file for results/s22/summary.py: the default row ("ednag", cost
queried; it has no sweep, so session 26 left it unchanged) from session 25's final files,
with every row of session 26's runs. Usage: python results/s26/combine.py OUT S25FILES S26FILES"""
import json
import sys

out, first, second = sys.argv[1], sys.argv[2].split(","), sys.argv[3].split(",")
rows = [r for f in first for r in json.load(open(f))["rows"] if r["method"] == "ednag"]
rows += [r for f in second for r in json.load(open(f))["rows"]]
json.dump({"rows": rows}, open(out, "w"))
