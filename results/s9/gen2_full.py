"""Full-budget check of the tried variant "gen2" (the second generation of every run drawn
afresh from the adapted frame, mean + sigma B N(0, I), instead of the first DDIM step),
through the tuning knob of results/s9/early.py; rows "ours-gen2" appended to
results/s9/bbob.jsonl. python results/s9/gen2_full.py DIMS FIDS INSTANCES"""
import json, sys
sys.path.insert(0, "benchmarks"); sys.path.insert(0, "results/s9")
import torch
import bench_bbob as B
import early

torch.set_num_threads(1)
early.set_gen2("frame")
out = "results/s9/bbob.jsonl"
done = {(r["method"], r["fid"], r["dim"], r["instance"]) for r in map(json.loads, open(out))}
for d in B.parse_ints(sys.argv[1]):
    for f in B.parse_ints(sys.argv[2]):
        for i in B.parse_ints(sys.argv[3]):
            if ("ours-gen2", f, d, i) in done:
                continue
            rec = B.run_one("ours", f, d, i, 10000)
            rec["method"] = "ours-gen2"
            with open(out, "a") as fh:
                fh.write(json.dumps(rec) + "\n")
            print(d, f, i, sum(h is not None for h in rec["hits"]), f"{rec['seconds']:.1f}s", flush=True)
