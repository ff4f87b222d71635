"""Scratch (session 24, #16, tuning seeds only): which of the front's cells does the
cheap-cost + twins mode miss at 1,000 queries, and why: the network never queried, or a
twin of a queried network left unqueried.

Usage: python results/s24/diag.py OUT.jsonl SEEDS [OPTIONS_JSON] [DATASETS] [DEVICES]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402

from ednag_opt import search  # noqa: E402

DEV15 = ["edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency", "fpga_latency"]


def main() -> None:
    out, seeds = sys.argv[1], bm._ints(sys.argv[2])
    opts = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {"cheap": [1], "twins": 0.5}
    datasets = sys.argv[4].split(",") if len(sys.argv) > 4 else list(bm.DATASETS)
    devices = sys.argv[5].split(",") if len(sys.argv) > 5 else DEV15
    torch.set_num_threads(1)
    with open(out, "a") as fh:
        for ds in datasets:
            for dev in devices:
                cell = bm.Cell(ds, dev)
                archs = list(cell.space.enumerate())
                netkey = {str(a): cell.space.prune(a).key for a in archs}
                ntw = Counter(netkey.values())
                V = np.column_stack([cell.acc(archs).numpy(), cell.cost(archs).numpy()])
                pos = {str(a): i for i, a in enumerate(archs)}
                for s in seeds:
                    res = search("ednag", cell.space, [cell.acc, cell.cost], max_queries=1000,
                                 seed=s, **opts)
                    q = [str(a) for a, _ in res.queries[:1000]]
                    qs, qn = set(q), {netkey[k] for k in q}
                    miss = [k for k in cell.front_keys if k not in qs]
                    no_net = [k for k in miss if netkey[k] not in qn]
                    twin = [k for k in miss if netkey[k] in qn]
                    row = {"dataset": ds, "device": dev, "seed": s, "opts": opts,
                           "front": len(cell.front_keys), "miss": len(miss),
                           "miss_net": len(no_net), "miss_twin": len(twin),
                           "twin_sizes": sorted(ntw[netkey[k]] for k in twin),
                           "net_sizes": sorted(ntw[netkey[k]] for k in no_net),
                           "n_nets_queried": len(qn)}
                    row.update(cell.score(res, 1000))
                    fk = sorted(cell.front_keys, key=lambda k: V[pos[k], 1])
                    acc_rank = np.argsort(np.argsort(-np.nan_to_num(V[:, 0], nan=-1e9)))
                    row["miss_where"] = [(fk.index(k), int(acc_rank[pos[k]]), ntw[netkey[k]])
                                         for k in miss]
                    fh.write(json.dumps(row) + "\n")
                    fh.flush()
                    print(ds, dev, s, row["front"], row["miss"], row["miss_net"], row["miss_twin"],
                          sorted(row["miss_where"]), flush=True)


if __name__ == "__main__":
    main()
