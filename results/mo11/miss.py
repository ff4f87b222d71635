"""After a networks-mode run: rank of the missing front networks under a ParetoGuide fitted
on all its queries, among the unqueried canonical networks. Usage: miss.py DS DEV SEED [json opts]"""
import sys, json, numpy as np, torch
torch.set_num_threads(1)
sys.path.insert(0, "benchmarks")
from bench_multiobjective import Cell
from ednag_opt.search import search
from ednag_opt.search.multiobjective import MultiFitness
from ednag_opt.search.guided_mo import ParetoGuide
ds, dev, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
opts = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
c = Cell(ds, dev)
res = search("ednag", c.space, [c.acc, c.cost], max_queries=1000, seed=seed, distinct="networks", **opts)
q = [a for a, _ in res.queries[:1000]]
found = {c.space.prune(a).key for a in q}
missing = c.front_nets - found
multi = MultiFitness([c.acc, c.cost])
g = ParetoGuide(c.space, multi, features="auto")
g.observe(q)
archs = c.space.enumerate()
canon = {}
for a in archs:
    p = c.space.prune(a)
    canon.setdefault(p.key, p)
unq = [p for k, p in canon.items() if k not in found]
v = g.predict(unq)
order = np.argsort(-v)
rank = {unq[i].key: r for r, i in enumerate(order)}
print(ds, dev, seed, "found", len(c.front_nets & found), "/", len(c.front_nets), "unqueried nets", len(unq),
      "missing ranks", sorted(rank.get(k, -1) for k in missing))
