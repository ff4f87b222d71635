"""Whether early.py's stopped runs hit the targets at the same evaluations as the full
10^4*d runs of results/s9/bbob.jsonl, up to the stop. python results/s9/same.py FILE"""
import json, sys
recs = json.load(open(sys.argv[1]))
full = {(r["method"], r["fid"], r["dim"], r["instance"]): r for r in map(json.loads, open("results/s9/bbob.jsonl"))
        if r["budget"] == 10000}
same = total = 0
for r in recs:
    f = full.get((r["method"], r["fid"], r["dim"], r["instance"]))
    if f is None:
        continue
    lim = r["budget"] * r["dim"]
    cut = [h if h is not None and h <= lim else None for h in f["hits"]]
    total += 1
    same += cut == r["hits"]
print(f"{same} of {total} runs identical up to the stop")
