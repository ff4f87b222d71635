"""Session 11: f1-f9 at d = 5, instances 1-5 (no pycma rows at 10^4 d): solved fraction of the
new default (ours-s11) and the preset (ours-ddim) at 10^k d, and the worst ratio new / preset
over 61 log-spaced budgets.  python results/s11/f1_9.py"""
import json

import numpy as np

rows = [r for r in map(json.loads, open("results/s11/bbob.jsonl"))
        if r["dim"] == 5 and r["fid"] <= 9 and r["method"] in ("ours-s11", "ours-ddim")]
budgets = 10.0 ** np.linspace(0, 4, 61)


def ecdf(m, fids=range(1, 10)):
    rs = [r for r in rows if r["method"] == m and r["fid"] in fids]
    return np.array([np.mean([[h is not None and h <= b * 5 for h in r["hits"]] for r in rs])
                     for b in budgets]), len(rs)


for fids, name in ((range(1, 10), "f1-f9"), (range(1, 6), "f1-f5"), (range(6, 10), "f6-f9")):
    new, n = ecdf("ours-s11", fids)
    old, _ = ecdf("ours-ddim", fids)
    at = {k: int(np.argmin(np.abs(budgets - 10.0**k))) for k in (1, 2, 3, 4)}
    ratio = np.where(old > 0, new / np.maximum(old, 1e-300), np.inf)
    w = int(np.argmin(ratio))
    print(f"{name} ({n} runs each): new / preset at 10·d {new[at[1]]:.3f} / {old[at[1]]:.3f}, "
          f"100·d {new[at[2]]:.3f} / {old[at[2]]:.3f}, 1000·d {new[at[3]]:.3f} / {old[at[3]]:.3f}, "
          f"10^4·d {new[at[4]]:.3f} / {old[at[4]]:.3f}; worst ratio {ratio[w]:.2f} at "
          f"{budgets[w]:.0f}·d; new ahead at {int((new > old + 1e-12).sum())}, behind at "
          f"{int((new < old - 1e-12).sum())} of 61 budgets")
