"""pycma replicates on any instances (seed = instance + 7919 rep, as knob.py's rep for
ours), appended to results/s12/held.jsonl as 'cma-r<rep>'.
python results/s12/cma_reps.py DIM FIDS INSTANCES REPS [OUT (default results/s12/held.jsonl)]"""
import json
import sys

sys.path.insert(0, "benchmarks")
import bench_bbob as bb  # noqa: E402

d, fids, insts, reps = int(sys.argv[1]), bb.parse_ints(sys.argv[2]), bb.parse_ints(sys.argv[3]), \
    bb.parse_ints(sys.argv[4])
OUT = sys.argv[5] if len(sys.argv) > 5 else "results/s12/held.jsonl"
_cma = bb.RUNNERS["cma"]
for rep in reps:
    bb.RUNNERS["cma"] = lambda rec, seed, r=rep: _cma(rec, seed + 7919 * r)
    for f in fids:
        for i in insts:
            rec = bb.run_one("cma", f, d, i, 10000)
            rec["method"] = f"cma-r{rep}"
            with open(OUT, "a") as fh:
                fh.write(json.dumps(rec) + "\n")
            print(rec["method"], f, i, sum(h is not None for h in rec["hits"]) / 51, flush=True)
