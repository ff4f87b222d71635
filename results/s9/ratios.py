"""f10-f14 / f20-f24 ratio notes (ours vs pycma) per d and instance set from results/s9/bbob.jsonl."""
import json, sys
sys.path.insert(0, "benchmarks")
import _bbob_report as R
rows = [json.loads(l) for l in open("results/s9/bbob.jsonl")]
for d, insts in ((20, range(1, 3)), (20, range(1, 6)), (20, range(3, 6)), (20, range(6, 11)), (20, range(1, 11))):
    sel = [r for r in rows if r["dim"] == d and r["instance"] in insts and r["method"] in ("ours", "cma")
           and r["fid"] in range(10, 15)]
    a = [r for r in sel if r["method"] == "ours"]; c = [r for r in sel if r["method"] == "cma"]
    print(d, list(insts), len(a), len(c), *(f"{b}d {R.solved(a, b).mean():.3f} vs {R.solved(c, b).mean():.3f}" for b in (3, 10, 1000, 10000)))
    print("  ", R.ratio_notes(sel, d)[0])
