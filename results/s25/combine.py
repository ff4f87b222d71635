"""Scratch (s25): the default row ("ednag", unaffected by the twin change: it has no twin
phase) from the first run, with every row of the second run, in one file for
results/s22/summary.py. Usage: python results/s25/combine.py FIRST SECOND OUT"""
import json
import sys

first, second, out = sys.argv[1:4]
rows = [r for r in json.load(open(first))["rows"] if r["method"] == "ednag"]
rows += json.load(open(second))["rows"]
json.dump({"rows": rows}, open(out, "w"))
