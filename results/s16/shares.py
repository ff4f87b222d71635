"""Share of new queries by origin (DDIM draws "diffusion", renoised draws "renoise",
"repair") per EDNAG row of the session-16 reported runs. python results/s16/shares.py"""
import gzip
import json
from collections import Counter, defaultdict
from pathlib import Path

for f in sorted((Path(__file__).parent / "search").glob("*.json*")):
    if f.suffix == ".json" and f.with_suffix(".json.gz").exists():
        continue  # the plain copy of a gzipped file
    raw = gzip.decompress(f.read_bytes()) if f.suffix == ".gz" else f.read_bytes()
    tot = defaultdict(Counter)
    for r in json.loads(raw):
        if r["method"].startswith("ednag"):
            tot[r["method"]].update(r["origins"])
    for m, c in sorted(tot.items()):
        n = sum(c.values())
        print(f"{f.name.split('.')[0]:12s} {m:36s}", "  ".join(f"{k} {v / n:.0%}" for k, v in sorted(c.items())))
