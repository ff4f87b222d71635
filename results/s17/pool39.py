"""Issue #18's cells on seeds 0-19, 20-39 and 0-39 pooled (session 17): the reported runs
(results/s17/search, 0-19) and the kept-aside ones (results/s17/heldout, 20-39), the rows run
on both. python results/s17/pool39.py [BENCH...]   (gunzip -k the .gz files first)"""
import contextlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
import bench_searchers as B  # noqa: E402

OUT = Path("/tmp/pool39")
OUT.mkdir(exist_ok=True)
for bench in sys.argv[1:] or ["nb201", "nb201-noisy", "transnas"]:
    held = json.loads((HERE / "heldout" / f"{bench}.json").read_text())
    methods = {r["method"] for r in held}
    rep = [r for r in json.loads((HERE / "search" / f"{bench}.json").read_text())
           if r["method"] in methods]
    (OUT / f"{bench}.json").write_text(json.dumps(rep + held))
    for name, seeds in (("0-19", range(20)), ("20-39", range(20, 40)), ("0-39", range(40))):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            B.show(OUT / f"{bench}.json", list(seeds))
        lines = buf.getvalue().splitlines()
        head = [ln for ln in lines if ln.startswith("against baselines as run")]
        print(f"{bench} seeds {name}: {head[0] if head else '?'}")
        if name == "0-39":
            print("\n".join(ln for ln in lines if ln.startswith("  ") or ln.startswith("|")))
