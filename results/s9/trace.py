"""Per generation: median log10 error (best so far) of ours vs pycma, and ours' frame sigma,
over f10-f14 at one d, instances given, first STOP*d evaluations.
python results/s9/trace.py D INSTANCES STOP '{minimize kwargs}'"""
import json, math, sys, warnings
sys.path.insert(0, "benchmarks")
import numpy as np, torch, cma
import bench_bbob as B
from ednag_opt.problems.bbob import get_bbob_problem
from ednag_opt.strategy import blackbox as bb

torch.set_num_threads(1)
d, insts, stop = int(sys.argv[1]), B.parse_ints(sys.argv[2]), int(sys.argv[3])
kw = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
fids = B.parse_ints(sys.argv[5]) if len(sys.argv) > 5 else range(10, 15)
lam = 4 + int(3 * math.log(d))
gens = stop * d // lam
rows = {"ours": [], "cma": [], "sig_o": [], "sig_c": []}
for fid in fids:
    for i in insts:
        p = get_bbob_problem(fid, d, i)
        # ours, one run, record best error and frame sigma per generation
        best, sig = [], []
        rng = np.random.default_rng(i)
        x0 = rng.uniform(-4, 4, d)
        cfg = bb.blackbox_config(d).replace(num_steps=10000 * d // lam)
        if "init_scale" in kw:
            cfg = cfg.replace(init_scale=kw["init_scale"])
        es = bb.EvolutionaryDDIM((d,), config=cfg, seed=1000 * i)
        start = torch.as_tensor(x0)
        b = math.inf
        for g in range(gens):
            x = bb._ask(es, start)
            e = p.error(x.numpy())
            b = min(b, float(e.min()))
            es.tell(torch.as_tensor(e + p.f_opt))
            best.append(math.log10(b + 1e-300)); sig.append(es.state.frame.sigma)
        rows["ours"].append(best); rows["sig_o"].append(sig)
        es2 = cma.CMAEvolutionStrategy(x0, 2.0, {"seed": i + 1, "verbose": -9})
        best, sig, b = [], [], math.inf
        for g in range(gens):
            xs = es2.ask()
            e = p.error(np.asarray(xs))
            b = min(b, float(e.min()))
            es2.tell(xs, list(e + p.f_opt))
            best.append(math.log10(b)); sig.append(es2.sigma)
        rows["cma"].append(best); rows["sig_c"].append(sig)
a = {k: np.median(np.asarray(v), axis=0) for k, v in rows.items()}
for g in list(range(0, 10)) + list(range(10, gens, max(1, gens // 12))):
    print(f"gen {g + 1:3d} ({(g + 1) * lam / d:5.1f}d): log10 err ours {a['ours'][g]:6.2f} cma {a['cma'][g]:6.2f}"
          f" | sigma ours {a['sig_o'][g]:.3g} cma {a['sig_c'][g]:.3g}")
