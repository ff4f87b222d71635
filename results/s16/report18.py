"""Session 16's reported runs (issue 18; seeds 0-19, results/s16/search/): per benchmark, cells
won or tied at the optimum against REA, local search, random and TPE, for the default, the
former default (no renoised draws) and the diffusion-off ablation (each counted as the default would be), and
on TransNAS the mean normalised regret of every row. python results/s16/report18.py"""
import gzip
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_searchers as bench  # noqa: E402
from _search_report import _outcome  # noqa: E402

RAW = Path(__file__).resolve().parent / "search"
ROWS = ("ednag default", "ednag no renoise (session-15 default)", "ednag repair-only (no diffusion)")
def load(name: str) -> list:
    """A raw file of results/s16/search (nb201-noisy is committed gzipped: 6.6 MB plain)."""
    plain = RAW / f"{name}.json"
    if plain.exists():
        return json.loads(plain.read_text())
    return json.loads(gzip.decompress((RAW / f"{name}.json.gz").read_bytes()))


BUDGETS = {"nb201": ["q"], "nb201-noisy": ["50", "100", "300"], "transnas": ["50", "100", "300"]}
for name, budgets in BUDGETS.items():
    recs = load(name)
    line = []
    for row in ROWS:
        by = defaultdict(list)
        for r in recs:
            if r["method"] in bench.BASELINES:
                by[(r["problem"], r["method"])].append(r)
            elif r["method"] == row:
                by[(r["problem"], "ednag default")].append(r)
        probs = sorted({p for p, _ in by})
        won = sum(_outcome(by, p, b, name, bench.BASELINES) in ("win", "tie at the optimum")
                  for p in probs for b in budgets)
        line.append(f"{row}: {won}/{len(probs) * len(budgets)}")
    print(f"{name}: " + "; ".join(line))
recs = load("transnas")
for m in (*ROWS, *bench.BASELINES):
    vals = [np.mean([r["at"][b]["report"] for r in recs if r["method"] == m]) for b in ("50", "100", "300")]
    print(f"transnas mean regret {m:34s}", " / ".join(f"{v:.4f}" for v in vals))
from scipy.stats import wilcoxon  # noqa: E402

runs = defaultdict(dict)
for r in recs:
    runs[r["method"]][(r["problem"], r["seed"])] = r
for other in ROWS[1:]:
    for b in ("50", "100", "300"):
        d = np.array([runs["ednag default"][k]["at"][b]["report"] - runs[other][k]["at"][b]["report"]
                      for k in sorted(runs[other])])
        print(f"transnas @{b}: default - {other}: mean {d.mean():+.4f}, Wilcoxon p {wilcoxon(d).pvalue:.2g}")
