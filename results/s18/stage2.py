"""Stage 2 of results/s18/RULE18.md: runs on the kept-aside seeds 40-59, and the check.

    python results/s18/stage2.py run LABEL BENCH 40-59   # LABEL: "ednag default" or a
                                                          # key of screen.VARIANTS
    python results/s18/stage2.py check LABEL

Runs call ``bench_searchers.run_one`` (the tables' protocol) and are appended to
``results/s18/check/<bench>-<label>.jsonl``. On the single-seed cells the default returns
its model recommendation (``at``); a variant's recommendation is its ``at_model``.
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from scipy.stats import wilcoxon

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "benchmarks"))
sys.path.insert(0, str(HERE.parent / "s17"))
sys.path.insert(0, str(HERE))
import bench_searchers as bench  # noqa: E402
import screen  # noqa: E402
from rules_common import transnas_clause  # noqa: E402

OUT = HERE / "check"
DEFAULT = "ednag default"


def run(label, bench_name, seeds):
    if label != DEFAULT:
        opts, patch = screen.VARIANTS[label]
        if patch is not None:
            setattr(screen.guided if patch[0] == "renoised_draws" else screen.ednag_mod, *patch)
        bench.METHODS[label] = ("ednag", opts)
    torch.set_num_threads(1)
    bench._CTX.clear()
    bench._CTX.update(bench.problems(bench_name, False))
    OUT.mkdir(exist_ok=True)
    with open(OUT / f"{bench_name}-{label}.jsonl", "a") as fh:
        for s in seeds:
            for p in bench._CTX:
                fh.write(json.dumps(bench.run_one((bench_name, p, label, s))) + "\n")
            fh.flush()
            print(bench_name, label, s, flush=True)


def load(bench_name, label):
    path = OUT / f"{bench_name}-{label}.jsonl"
    return {(r["problem"], r["seed"]): r for r in map(json.loads, path.open())}


def nb201_check(new, old):
    """(b'): no dataset significantly slower, mean log ratio <= 0.05."""
    q = lambda r: r["q_opt"] or 2000  # noqa: E731
    keys, logs, ok = sorted(set(new) & set(old)), [], True
    for ds in ("cifar10", "cifar100", "ImageNet16-120"):
        ks = [k for k in keys if k[0] == ds]
        a, b = np.array([q(new[k]) for k in ks]), np.array([q(old[k]) for k in ks])
        p = wilcoxon(a - b).pvalue if np.any(a - b) else 1.0
        ok &= not (p < 0.05 and np.median(a - b) > 0)
        logs += list(np.log(a / b))
        print(f"NB201 {ds}: medians {np.median(a):.1f} vs {np.median(b):.1f}, paired p {p:.3g}, "
              f"hits {(a <= 1000).sum()} vs {(b <= 1000).sum()} of {len(ks)}")
    ok &= np.mean(logs) <= 0.05
    print(f"NB201 mean log ratio {np.mean(logs):+.3f}; (b')", "holds" if ok else "fails")
    return ok


def check(label):
    new, old = load("transnas", label), load("transnas", DEFAULT)
    transnas_clause(new, old)  # prints the paired differences
    keys = sorted(set(new) & set(old))
    a = all(np.mean([new[k]["at"][b]["report"] - old[k]["at"][b]["report"] for k in keys]) <= 0
            for b in ("50", "100", "300"))
    print(f"(a') TransNAS ({len(keys)} runs) mean differences all <= 0:", "holds" if a else "fails")
    bc = nb201_check(load("nb201", label), load("nb201", DEFAULT))
    new, old = load("nb201-noisy", label), load("nb201-noisy", DEFAULT)
    keys = sorted(set(new) & set(old))
    d = np.array([new[k]["at_model"][b]["report"] - old[k]["at"][b]["report"]
                  for k in keys for b in old[k]["at"]])
    c = d.mean() >= -0.02
    p = wilcoxon(d).pvalue if np.any(d) else 1.0
    print(f"single-seed NB201: {len(d)} (run, budget) pairs, mean difference {d.mean():+.4f} "
          f"points (Wilcoxon p {p:.3g}); (c')", "holds" if c else "fails")
    print("ADOPT" if a and bc and c else "NOT ADOPTED")


if __name__ == "__main__":
    if sys.argv[1] == "run":
        lo, hi = map(int, sys.argv[4].split("-"))
        run(sys.argv[2], sys.argv[3], range(lo, hi + 1))
    else:
        check(sys.argv[2])
