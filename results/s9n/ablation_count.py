"""Cells the default's best-observed ablation would win (relabelled as the default)."""
import json, sys
sys.path.insert(0, "benchmarks")
import bench_searchers as bs
from _search_report import tables
recs = json.load(open(sys.argv[1]))
recs = [r for r in recs if r["seed"] < 200 and r["method"] != "ednag default"]
for r in recs:
    if r["method"] == bs.DEFAULT_BEST:
        r["method"] = "ednag default"
for name, base in (("as run", bs.BASELINES), ("+ rule", tuple(list(bs.DERIVED)[1:]))):
    _, cells = tables(recs, "nb201-noisy", bs.ORDER, base)
    print(name, sum(o == "win" for _, o in cells), [o[:4] for _, o in cells])
