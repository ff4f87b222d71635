"""Session 12: the rows of the two report blocks, one file each (so that no other `ours*`
row of the copied session-11 file enters them).
python results/s12/assemble.py  -> results/s12/grid.jsonl, gridng.jsonl, all.jsonl"""
import json

rows = []
for path in ("results/s12/bbob.jsonl", "results/s12/ng.jsonl", "results/s12/paper.jsonl"):
    rows += [json.loads(line) for line in open(path) if line.strip()]
rows = [r for r in rows if r["budget"] == 10000 and r["instance"] <= 5]
for name, keep in (("grid", {"ours-s11", "cma", "evosax"}),
                   ("gridng", {"ours-s11", "cma", "ngopt-free"}),
                   ("all", {"ours-s11", "cma", "evosax", "ngopt", "ngopt-free", "paper"})):
    seen, out = set(), []
    for r in rows:
        key = (r["method"], r["fid"], r["dim"], r["instance"])
        if r["method"] in keep and key not in seen:
            seen.add(key)
            out.append(json.dumps(r))
    with open(f"results/s12/{name}.jsonl", "w") as fh:
        fh.write("\n".join(out) + "\n")
    print(name, len(out))
