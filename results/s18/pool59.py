"""Issue #18's cells on the fresh seeds 40-59 and on 0-59 pooled (session 18): the default's
runs of the stage-2 check (results/s18/check) with the baselines run for it
(results/s18/check40), and the runs of seeds 0-39 (results/s17/search, results/s17/heldout).
python results/s18/pool59.py   (gunzip -k the .gz files first)"""
import contextlib
import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
import bench_searchers as B  # noqa: E402

KEEP = ("ednag default", *B.BASELINES)
OUT = Path("/tmp/pool59")
OUT.mkdir(exist_ok=True)
for bench in ("nb201", "nb201-noisy", "transnas"):
    fresh = [r for r in json.loads((HERE / "check40" / f"{bench}.json").read_text())
             if r["method"] in KEEP]
    fresh += [json.loads(x) for x in (HERE / "check" / f"{bench}-ednag default.jsonl").open()]
    old = [r for d in ("search", "heldout") for r in
           json.loads((HERE.parent / "s17" / d / f"{bench}.json").read_text()) if r["method"] in KEEP]
    (OUT / f"{bench}.json").write_text(json.dumps(old + fresh))
    for name, seeds in (("40-59", range(40, 60)), ("0-59", range(60))):
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            B.show(OUT / f"{bench}.json", list(seeds))
        lines = buf.getvalue().splitlines()
        head = [ln for ln in lines if ln.startswith("against baselines as run")]
        print(f"{bench} seeds {name}: {head[0] if head else '?'}")
        if name == "40-59":
            print("\n".join(ln for ln in lines if ln.startswith("  ")))
