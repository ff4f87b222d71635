"""The NAS-Bench-201 baselines of benchmarks/bench_multiobjective.py on networks (#16)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
import bench_multiobjective as bm  # noqa: E402

from ednag_opt import get_space, search  # noqa: E402
from ednag_opt.fitness import as_fitness  # noqa: E402

ACC = as_fitness(lambda archs: [float(sum(a.ops)) for a in archs], maximize=True, name="acc")
COST = as_fitness(lambda archs: [float(sum(o in (2, 3) for o in a.ops)) for a in archs],
                  maximize=False, name="cost")  # fmt: skip


def test_nsga2_networks_queries_canonical_cells_only(one_thread):
    space = get_space("nas-bench-201")
    runs = {m: search(bm.SEARCHERS[m], space, [ACC, COST], max_queries=200, seed=0)
            for m in ("nsga2", "nsga2-networks")}  # fmt: skip
    canonical = {m: sum(space.prune(a) == a for a, _ in r.queries) for m, r in runs.items()}
    assert runs["nsga2-networks"].unique_queries == 200
    assert canonical["nsga2-networks"] == 200
    assert canonical["nsga2"] < 200  # the plain baseline also queries twin cells
