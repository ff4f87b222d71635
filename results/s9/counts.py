"""Target hits within the first LIM evaluations per method and function (f10..f14), from
the records early.py wrote. python results/s9/counts.py results/s9/early_20_1-30_10.json"""
import collections, json, sys
recs = json.load(open(sys.argv[1]))
methods = list(dict.fromkeys(r["method"] for r in recs))
for lim in (12, 20, 24, 36, 60):
    c = collections.Counter()
    for r in recs:
        c[(r["method"], r["fid"])] += sum(h is not None and h <= lim for h in r["hits"])
    print(f"first {lim:2d} evaluations:", {m: [c[(m, f)] for f in range(10, 15)] for m in methods})
