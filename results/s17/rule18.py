"""Apply results/s17/RULE18.md (issue 18, session 17): 32 renoised draws against the default
(16) on the decision block, seeds 180-199. python results/s17/rule18.py

The cell count needs the baselines' runs on 180-199 in results/search/transnas.json (made by
``bench_searchers.py --bench transnas --seeds 180-199 --methods "REA,local search,random,TPE"``;
a copy is results/s17/t18_baselines_180_199.json.gz: merge it into that file)."""
import subprocess
import sys
from pathlib import Path

from rules_common import load, nb201_clauses, transnas_clause

ROOT = Path(__file__).resolve().parents[2]
NEW, OLD = "d17 renoise32", "d17 renoise16"
SEEDS = range(180, 200)


def cells():
    """Cells won or tied at the optimum, 3 budgets summed, against the four baselines' runs on
    180-199 (results/search/transnas.json), as tune_small --summary counts them."""
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "tune_small.py"), "--summary",
                          f"{OLD},{NEW}", "--seeds", "180-199"], capture_output=True, text=True,
                         cwd=ROOT, check=True).stdout  # fmt: skip
    won = {}
    for line in out.splitlines():
        lab = line.split("|")[0].strip()
        if lab in (NEW, OLD):
            won[lab] = sum(int(part.split(":")[1].split("/")[0]) for part in line.split("|")[1:4])
    print(f"TransNAS cells won or tied at the optimum (3 budgets): {won[NEW]} vs {won[OLD]}")
    return won[NEW] >= won[OLD]


a, _ = transnas_clause(load("transnas", [NEW], SEEDS), load("transnas", [OLD], SEEDS))
a = cells() and a
print("(a)", "holds" if a else "fails")
bc = nb201_clauses(load("nb201", [NEW], SEEDS), load("nb201", [OLD], SEEDS))
print("ADOPT" if a and bc else "NOT ADOPTED")
