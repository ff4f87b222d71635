"""Scratch (s29): one file for results/s22/summary.py: the default ("ednag", cost queried)
and session 28's cost-lookup row (relabelled as the ablation: sweep_model="gp-arch", the
same code) from results/s28/final_rep27.json, with the rows of session 29's runs; checks
that the re-run NSGA-II rows equal session 28's.
Usage: python results/s29/combine.py OUT S29FILES"""
import json
import sys

OLD = "ednag, cheap cost + twins=auto (session 28)"
ABL = "ednag, the same with sweep_model='gp-arch' (session 28; the ablation)"
out, files = sys.argv[1], sys.argv[2].split(",")
old = json.load(open("results/s28/final_rep27.json"))["rows"]
key = lambda r: (r["method"], r["dataset"], r["device"], r["seed"])  # noqa: E731
bare = lambda r: {k: v for k, v in r.items() if k != "time"}  # noqa: E731
nsga = {key(r): r for r in old if r["method"] == "nsga2"}
rows = [r for r in old if r["method"] == "ednag"]
rows += [{**r, "method": ABL} for r in old if r["method"] == OLD]
new = [r for f in files for r in json.load(open(f))["rows"]]
same = [bare(nsga[key(r)]) == bare(r) for r in new if r["method"] == "nsga2"]
print(f"nsga2 rows re-run: {len(same)}, equal to session 28's: {sum(same)}")
rows += new
json.dump({"command": "python results/s29/combine.py " + " ".join(sys.argv[1:]), "rows": rows},
          open(out, "w"))
