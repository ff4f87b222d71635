"""Session 11: are two methods' rows identical (same hits, best, evaluations) on every
(dim, function, instance) both have?  python results/s11/same.py METHOD_A METHOD_B"""
import json
import sys

a, b = sys.argv[1], sys.argv[2]
R = {}
for r in map(json.loads, open("results/s11/bbob.jsonl")):
    if r["method"] in (a, b):
        R[(r["method"], r["dim"], r["fid"], r["instance"], r["budget"])] = \
            (r["hits"], r["best"], r["evals"])
keys = [k[1:] for k in R if k[0] == a and (b,) + k[1:] in R]
same = sum(R[(a,) + k] == R[(b,) + k] for k in keys)
print(f"{a} vs {b}: {same} of {len(keys)} shared runs identical (hits, best, evaluations)")
