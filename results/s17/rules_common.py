"""The clauses shared by session 17's rules (issue 18): paired TransNAS regret and NB201
queries to the optimum of a candidate against the default, read from results/t18."""
import json
from pathlib import Path

import numpy as np
from scipy.stats import wilcoxon

T18 = Path(__file__).resolve().parents[1] / "t18"


def load(bench, labels, seeds):
    """Runs of ``labels`` (merged) on ``seeds``, keyed by (problem, seed)."""
    out = {}
    for lab in labels:
        for r in map(json.loads, (T18 / f"{bench}-{lab}.jsonl").open()):
            if r["seed"] in seeds:
                out[(r["problem"], r["seed"])] = r
    return out


def transnas_clause(new, old):
    """Mean paired regret difference <= 0 at every budget; significantly < 0 at one."""
    keys = sorted(set(new) & set(old))
    ok, sig = True, False
    for b in ("50", "100", "300"):
        d = np.array([new[k]["at"][b]["report"] - old[k]["at"][b]["report"] for k in keys])
        p = wilcoxon(d).pvalue
        ok &= d.mean() <= 0
        sig |= d.mean() < 0 and p < 0.05
        print(f"TransNAS @{b}: {len(d)} runs, mean difference {d.mean():+.4f} (Wilcoxon p {p:.3g})")
    return ok and sig, len(keys)


def nb201_clauses(new, old):
    """(b) no dataset significantly slower and mean log ratio <= 0; (c) no fewer hits."""
    keys = sorted(set(new) & set(old))
    q = lambda r: r["q_opt"] or 2000  # noqa: E731
    logs, ok_b, ok_c = [], True, True
    for ds in ("cifar10", "cifar100", "ImageNet16-120"):
        ks = [k for k in keys if k[0] == ds]
        a, b = np.array([q(new[k]) for k in ks]), np.array([q(old[k]) for k in ks])
        d = a - b
        p = wilcoxon(d).pvalue if np.any(d) else 1.0
        ok_b &= not (p < 0.05 and np.median(d) > 0)
        hits = (int((a <= 1000).sum()), int((b <= 1000).sum()))
        ok_c &= hits[0] >= hits[1]
        logs += list(np.log(a / b))
        print(f"NB201 {ds}: medians {np.median(a):.1f} vs {np.median(b):.1f}, paired p {p:.3g}, "
              f"hits {hits[0]} vs {hits[1]} of {len(ks)}")
    ok_b &= np.mean(logs) <= 0
    print(f"NB201 mean log ratio {np.mean(logs):+.3f}; (b)", "holds" if ok_b else "fails",
          "; (c)", "holds" if ok_c else "fails")
    return ok_b and ok_c
