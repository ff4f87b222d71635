"""Early-phase diagnostic: ours (variants) vs pycma on f10-f14, first S*d evaluations.

python results/s9/early.py DIMS INSTANCES STOP '{"variant": {minimize kwargs}}' [fids]
Runs keep the 10^4*d budget (ours' schedule depends on it) but stop at STOP*d.
"""
import json, math, sys
sys.path.insert(0, "benchmarks")
import numpy as np, torch
import bench_bbob as B
import _bbob_report as R
from ednag_opt.problems.bbob import get_bbob_problem
from ednag_opt.strategy.blackbox import blackbox_config, minimize

torch.set_num_threads(1)
from ednag_opt.strategy import adaptation as A
_fc = A.frame_constants


from ednag_opt.strategy import blackbox as BB
from ednag_opt.strategy.adaptation import from_frame
_ask0 = BB._ask


def set_gen2(mode):
    """Tuning knob: the second generation (the first DDIM step) replaced by a fresh sample
    of the adapted frame, mean + sigma B N(0, I) (mode "frame"), as CMA-ES's second
    generation; None: the preset."""
    def ask(es, start):
        x = _ask0(es, start)
        if mode != "frame" or es.generation != 1 or es.state.frame is None:
            return x
        z = torch.randn(es.state.pending.shape, generator=es.generator, dtype=torch.float64)
        es.state.pending = from_frame(es.state.frame, z, es.state.pending)
        return es.state.pending.clone().to(torch.float64)
    BB._ask = ask


def set_dp(dp, d):
    """Tuning knob: the frame's success-rule damping (None: the module's, 1; "msr":
    2 (d - 1) / d, the median success rule's; a number)."""
    val = {None: None, "msr": 2.0 * (d - 1) / d}.get(dp, dp)

    def fc(*a, **k):
        out = _fc(*a, **k)
        if val is not None:
            out["dp"] = float(val)
        return out
    A.frame_constants = fc


class Rec(B.Recorder):
    def __init__(self, problem, budget, stop):
        super().__init__(problem, budget)
        self.stop = stop

    def __call__(self, x):
        if self.count >= self.stop:
            raise B.Stop
        out = super().__call__(x)
        return out


def run(method, kw, fid, d, inst, stop):
    rec = Rec(get_bbob_problem(fid, d, inst), 10000 * d, stop * d)
    try:
        if method == "cma":
            B.run_cma(rec, inst)
        else:
            kw = dict(kw)
            cfgkw = kw.pop("config", {})
            set_dp(kw.pop("dp", None), d)
            set_gen2(kw.pop("gen2", None))
            minimize(lambda x: rec.padded(x.numpy()), d, rec.budget, seed=inst,
                     config=blackbox_config(d, **cfgkw), **kw)
    except B.Stop:
        pass
    return {"method": method, "fid": fid, "dim": d, "instance": inst, "budget": stop,
            "hits": rec.hits}


if __name__ == "__main__":
    dims, insts, stop = B.parse_ints(sys.argv[1]), B.parse_ints(sys.argv[2]), int(sys.argv[3])
    variants = {"cma": None, **json.loads(sys.argv[4])}
    fids = B.parse_ints(sys.argv[5]) if len(sys.argv) > 5 else list(range(10, 15))
    recs = [run(m, kw, f, d, i, stop) for d in dims for f in fids for i in insts
            for m, kw in variants.items()]
    grid = [1, 2, 3, 5, 10, 20, 50, 100, 200][: 1 + sum(b <= stop for b in (2, 3, 5, 10, 20, 50, 100, 200))]
    for d in dims:
        c = [r for r in recs if r["method"] == "cma" and r["dim"] == d]
        print(f"d={d} instances {sys.argv[2]}: solved fraction (ratio to cma) at b*d")
        for m in variants:
            a = [r for r in recs if r["method"] == m and r["dim"] == d]
            cells = []
            for b in grid:
                x, y = R.solved(a, b).mean(), R.solved(c, b).mean()
                cells.append(f"{b}:{x:.4f}" + ("" if m == "cma" else f"({(x + 1e-9) / (y + 1e-9):.2f})"))
            sel = [dict(r, method="ours" if r["method"] == m else r["method"]) for r in recs
                   if r["dim"] == d and r["method"] in (m, "cma")]
            worst = "" if m == "cma" else R.ratio_notes(sel, d)[0].split(": ", 1)[1].split(";")[0]
            print(f"  {m:10s}", " ".join(cells), "|", worst)
    json.dump(recs, open(f"results/s9/early_{sys.argv[1]}_{sys.argv[2]}_{stop}.json", "w"))
