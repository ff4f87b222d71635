"""ours (preset) vs ours-gen2 vs pycma from results/s9/bbob.jsonl: solved fractions at
3·d, 10·d, 10³·d, 10⁴·d and the ratio notes, per (group, d, instances)."""
import json, sys
sys.path.insert(0, "benchmarks")
import _bbob_report as R
rows = [json.loads(l) for l in open("results/s9/bbob.jsonl")]
cases = [("f10-f14", range(10, 15), 5, range(1, 6)), ("f10-f14", range(10, 15), 10, range(1, 6)),
         ("f20-f24", range(20, 25), 10, range(1, 6)), ("f10-f14", range(10, 15), 20, range(1, 6)),
         ("f10-f14", range(10, 15), 20, range(6, 11))]
for g, fids, d, insts in cases:
    for m in ("ours", "ours-gen2"):
        sel = [dict(r, method="ours" if r["method"] == m else "cma") for r in rows
               if r["dim"] == d and r["fid"] in fids and r["instance"] in insts and r["method"] in (m, "cma")
               and r["budget"] == 10000]
        a = [r for r in sel if r["method"] == "ours"]; c = [r for r in sel if r["method"] == "cma"]
        if not a:
            continue
        cells = " | ".join(f"{R.solved(a, b).mean():.3f} vs {R.solved(c, b).mean():.3f}" for b in (3, 10, 1000, 10000))
        note = R.ratio_notes(sel, d)[0].split(": ", 1)[1]
        print(f"| {g}, d = {d}, instances {insts.start}-{insts.stop - 1} | {m} ({len(a)}) | {cells} | p {R._pvalue(a, c, 10000)} | {note} |")
