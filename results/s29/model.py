"""Scratch (s29, tuning seeds): offline replay of the sweep from the state the diffusion
leaves, with other accuracy models. Counts the true front's networks (ties merged) the
sweep's 200 queries would add. Usage: python results/s29/model.py DATASET DEVICE SEEDS VARIANTS
Ran against commit 3330bc9 (the sweep before session 29's change: "base" is the features
alone); since then the package's "gp" already holds the cost column. The same holds for
results/s29/tune.py ("base" = session 28's sweep there)."""
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from ednag_opt.search import search  # noqa: E402

S = importlib.import_module("ednag_opt.search.sweep")
ORIG = S.Sweep.batch
torch.set_num_threads(1)
cell = bm.Cell(sys.argv[1], sys.argv[2])
A = cell.space.enumerate()
keys = [str(a) for a in A]
acc = cell.acc(A).numpy().astype(float)
front_tied = np.array([k in cell.front_keys_tied for k in keys])
STATE = {}


def grab(self, queried, gain, k):
    if "q" not in STATE:
        STATE.update(q=list(queried), g=np.array(gain), sweep=self)
    return ORIG(self, queried, gain, k)


S.Sweep.batch = grab


def replay(sw, variant, q, g, n=200, k=20):
    q, g = list(q), list(g)
    X0 = sw.X
    if variant.startswith("cost"):
        w = float(variant[4:])
        lc = np.log(sw.costs[sw.reps])
        sw.X = np.hstack([X0, w * ((lc - lc.mean()) / lc.std())[:, None]])
    try:
        while n > 0:
            nxt, _ = ORIG(sw, q, np.array(g), min(k, n))
            if not nxt:
                break
            for a in nxt:
                j = sw.index.position[TRK_KEY(a)]
                q.append(sw.index.keys[j])
                g.append(acc[j])
            n -= len(nxt)
    finally:
        sw.X = X0
    return q


def TRK_KEY(a):
    return STATE["keyfn"](a)


for s in bm._ints(sys.argv[3]):
    STATE.clear()
    res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000, seed=s,
                 cheap=[1], twins="auto")
    sw = STATE["sweep"]
    kmap = {id(a): sw.index.keys[i] for i, a in enumerate(sw.index.archs)}
    STATE["keyfn"] = lambda a: kmap[id(a)]
    q0 = set(STATE["q"])
    base_found = sum(1 for i in np.flatnonzero(front_tied) if sw.index.keys[i] in q0)
    line = [f"seed {s}: front {front_tied.sum()} queried-before-sweep {base_found}"]
    for v in sys.argv[4].split(","):
        q = set(replay(sw, v, STATE["q"], STATE["g"]))
        nets = {sw.index.network[sw.index.position[k]] for k in q}
        found = sum(1 for i in np.flatnonzero(front_tied) if sw.index.keys[i] in q)
        netfront = sum(1 for i in np.flatnonzero(front_tied) if sw.index.network[i] in nets)
        line.append(f"{v}: cells {found} nets-covering {netfront}")
    print(" | ".join(line), flush=True)
