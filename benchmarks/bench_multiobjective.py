"""Multi-objective NAS: EDNAG (Pareto ranking) vs pymoo NSGA-II, random search, scalarised REA.

NAS-Bench-201 validation accuracy (maximised) x one HW-NAS-Bench cost (minimised), per
dataset and device. The whole table is known, so the true Pareto front is too; every method
queries through one cache per run, is judged on its first ``budget`` unique queries, and is
never told the front. Reported per cell and budget:

* hypervolume ratio: HV(front found) / HV(true front), both objectives scaled to [0, 1] by
  the table's ranges (evaluation only), reference point (1.1, 1.1) in the minimised space
  (pymoo's ``HV`` indicator);
* recovered: share of the true front's architectures among the queries;
* recovered_tied: the same for the front with accuracies equal to 1e-6 counted as ties
  (45 of the 839 front cells of the 27 HW-NAS-Bench cells are non-dominated only by
  float noise below 1e-6: all but one are cells of the network that does not connect
  the input to the output, whose stored accuracies are chance level to nine decimals);
* networks: share of the true front's distinct networks among the queries' networks
  (``NB201Space.prune``: cells that differ only in edges carrying no signal compute the
  same function; the benchmark trained each separately, so a front of cells counts some
  networks several times, by training noise).

Methods (same encoding: one categorical choice per edge):

* ``ednag``: ``search("ednag", space, [acc, cost])`` (EvolutionaryDDIM with objectives=2);
* ``nsga2``: pymoo's NSGA-II by ask/tell on the integer choice vector (SBX + polynomial
  mutation with rounding, duplicates eliminated), pop 20 (of 10, 20, 50 on seeds 100-105);
* ``random``: random search without replacement;
* ``rea-scalar``: aging evolution (P 20, S 5) on a weighted sum of the two objectives,
  each scaled by the range queried so far, the weight sweeping 5 values over the budget.

Usage::

    python benchmarks/bench_multiobjective.py --seeds 0-19          # writes results/ + doc
    python benchmarks/bench_multiobjective.py --seeds 100-104 --no-doc --methods ednag,nsga2
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import time
from collections import deque
from pathlib import Path
from typing import Any

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from pymoo.algorithms.moo.nsga2 import NSGA2  # noqa: E402
from pymoo.core.problem import Problem  # noqa: E402
from pymoo.indicators.hv import HV  # noqa: E402
from pymoo.operators.crossover.sbx import SBX  # noqa: E402
from pymoo.operators.mutation.pm import PM  # noqa: E402
from pymoo.operators.repair.rounding import RoundingRepair  # noqa: E402
from pymoo.operators.sampling.rnd import IntegerRandomSampling  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _mo_report import report_blackbox, report_nb201, report_ofa  # noqa: E402
from _mo_suites import rescore_ofa, run_blackbox, run_ofa  # noqa: E402
from _nas_common import ROOT, git_rev, machine, update_section  # noqa: E402

from ednag_opt import get_space, search  # noqa: E402
from ednag_opt.fitness import NB201Fitness  # noqa: E402
from ednag_opt.search.api import Searcher  # noqa: E402
from ednag_opt.search.baselines import mutate_one  # noqa: E402
from ednag_opt.strategy.pareto import pareto_mask  # noqa: E402

DOC = ROOT / "docs" / "results_multiobjective.md"
DATASETS = ("cifar10", "cifar100", "ImageNet16-120")
DEVICES = ("edgegpu_latency", "edgegpu_energy", "raspi4_latency", "pixel3_latency",
           "fpga_latency")  # fmt: skip
METHODS = ("ednag", "nsga2", "random", "rea-scalar")


# ----------------------------------------------------------------------------- baselines
def _archs_from_choices(space: Any, X: np.ndarray) -> list[Any]:
    x = torch.zeros(len(X), *space.shape)
    rows = torch.arange(space.shape[0])
    for i, choice in enumerate(torch.as_tensor(X, dtype=torch.long)):
        x[i, rows, choice] = 1.0
    return space.decode(x)


def run_nsga2(space: Any, tracker: Any, *, seed: int = 0, pop_size: int = 20,
              networks: bool = False) -> dict[str, Any]:  # fmt: skip
    """pymoo NSGA-II, ask/tell, every batch through the tracker (a searcher function).
    A cell without a value of some objective (HW-NAS-Bench's unmeasured Edge TPU
    latencies) is infeasible: pymoo's constraint (G > 0) ranks it below every other.
    ``networks``: each offspring is replaced by its network's canonical cell
    (``space.canonicalize``) before it is evaluated, so pymoo's duplicate elimination
    acts on networks (the baseline given what ``distinct="networks"`` gives EDNAG)."""
    multi = tracker.cache.source
    counts = np.asarray(space.choice_counts)
    problem = Problem(n_var=len(counts), n_obj=multi.num_objectives, n_ieq_constr=1, xl=0,
                      xu=counts - 1, vtype=int)  # fmt: skip
    algo = NSGA2(pop_size=pop_size, sampling=IntegerRandomSampling(),
                 crossover=SBX(prob=1.0, eta=3.0, vtype=float, repair=RoundingRepair()),
                 mutation=PM(prob=1.0, eta=3.0, vtype=float, repair=RoundingRepair()),
                 eliminate_duplicates=True)  # fmt: skip
    algo.setup(problem, termination=("n_gen", 10**9), seed=seed, verbose=False)
    stale = 0
    while not tracker.done and stale < 50:
        pop = algo.ask()
        archs = _archs_from_choices(space, pop.get("X"))
        if networks:
            archs = [space.canonicalize(a) for a in archs]
            pop.set("X", np.array([space.to_rows(a) for a in archs]))
        before = tracker.unique_queries
        v = tracker.query(archs, origin="nsga2")
        if torch.isnan(v).any() and tracker.done:
            break
        stale = stale + 1 if tracker.unique_queries == before else 0
        F = -multi.scores(multi.values(archs)).numpy()
        missing = ~np.isfinite(F).all(axis=1)  # a cost the table lacks: infeasible
        pop.set("F", np.where(np.isfinite(F), F, 0.0))
        pop.set("G", missing.astype(float)[:, None])
        algo.tell(infills=pop)
    tracker.stop("stalled")
    return {}


def run_rea_scalar(space: Any, tracker: Any, *, seed: int = 0, population: int = 20,
                   sample: int = 5, weights: int = 5) -> dict[str, Any]:  # fmt: skip
    """Aging evolution on a weighted sum whose weight sweeps ``weights`` values; each
    objective is scaled by the range queried so far."""
    multi = tracker.cache.source
    g = torch.Generator().manual_seed(seed)
    init = space.sample(population, generator=g)
    tracker.query(init, origin="random")
    S = multi.scores(multi.values(init)).numpy()
    pop: deque[tuple[Any, np.ndarray]] = deque(zip(init, S))
    lo, hi = np.nanmin(S, axis=0), np.nanmax(S, axis=0)  # NaN: a value the table lacks
    budget, cycles = tracker.max_queries, 0
    grid = np.linspace(0.0, 1.0, weights)
    while not tracker.done and cycles < 50 * budget:
        cycles += 1
        w = grid[min(weights - 1, tracker.unique_queries * weights // budget)]
        idx = torch.randperm(len(pop), generator=g)[:sample].tolist()
        sc = (np.array([pop[i][1] for i in idx]) - lo) / np.maximum(hi - lo, 1e-12)
        total = w * sc[:, 0] + (1 - w) * sc[:, 1]
        parent = pop[idx[int(np.argmax(np.where(np.isfinite(total), total, -np.inf)))]][0]
        child = mutate_one(space, parent, g)
        if torch.isnan(tracker.query([child], origin="mutation")).all():
            break
        s = multi.scores(multi.values([child])).numpy()[0]
        lo, hi = np.fmin(lo, s), np.fmax(hi, s)
        pop.append((child, s))
        pop.popleft()
    tracker.stop("stalled")
    return {}


def run_nsga2_networks(space: Any, tracker: Any, *, seed: int = 0) -> dict[str, Any]:
    """NSGA-II on canonical cells (``run_nsga2(networks=True)``)."""
    return run_nsga2(space, tracker, seed=seed, networks=True)


SEARCHERS = {
    "ednag": "ednag",
    "random": "random",
    "nsga2": Searcher("nsga2", run_nsga2, True, "pymoo NSGA-II"),
    "nsga2-networks": Searcher("nsga2-networks", run_nsga2_networks, True,
                               "pymoo NSGA-II on canonical cells"),  # fmt: skip
    "rea-scalar": Searcher("rea-scalar", run_rea_scalar, True, "scalarised REA"),
}


# ----------------------------------------------------------------------------- one cell
class Cell:
    """One (dataset, device) problem with its true front and normalisation."""

    def __init__(self, dataset: str, device: str) -> None:
        self.dataset, self.device = dataset, device
        self.space = get_space("nas-bench-201")
        self.acc = NB201Fitness(dataset, metric="val")
        self.cost = NB201Fitness(dataset, metric=device)
        archs = self.space.enumerate()
        V = np.column_stack([self.acc(archs).numpy(), self.cost(archs).numpy()])
        self.lo, self.hi = np.nanmin(V, axis=0), np.nanmax(V, axis=0)  # NaN: not measured
        front = pareto_mask(V * [1.0, -1.0])
        self.front_keys = {str(archs[i]) for i in np.flatnonzero(front)}
        self.front_nets = {self.space.prune(archs[i]).key for i in np.flatnonzero(front)}
        tied = np.column_stack([np.round(V[:, 0], 6), V[:, 1]])  # below 1e-6: a tie
        tied_front = np.flatnonzero(pareto_mask(tied * [1.0, -1.0]))
        self.front_keys_tied = {str(archs[i]) for i in tied_front}
        self.hv = HV(ref_point=np.array([1.1, 1.1]))
        self.true_hv = self.hv(self._norm(V[front]))

    def _norm(self, V: np.ndarray) -> np.ndarray:
        span = self.hi - self.lo
        return np.column_stack([(self.hi[0] - V[:, 0]) / span[0], (V[:, 1] - self.lo[1]) / span[1]])

    def score(self, res: Any, budget: int) -> dict[str, float]:
        front = res.pareto_front(budget=budget)
        V = np.array([v for _, v in front]) if front else np.empty((0, 2))
        hv = self.hv(self._norm(V)) if len(V) else 0.0
        queried = {str(a) for a, _ in res.queries[:budget]}
        nets = {self.space.prune(a).key for a, _ in res.queries[:budget]}
        return {"hv": hv / self.true_hv,
                "recovered": len(queried & self.front_keys) / len(self.front_keys),
                "recovered_tied": len(queried & self.front_keys_tied) / len(self.front_keys_tied),
                "networks": len(nets & self.front_nets) / len(self.front_nets)}  # fmt: skip


def run_cell(cell: Cell, methods: list[str], seeds: list[int], budgets: list[int],
             options: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:  # fmt: skip
    out = []
    for m in methods:
        for s in seeds:
            t0 = time.perf_counter()
            res = search(SEARCHERS[m], cell.space, [cell.acc, cell.cost], max_queries=max(budgets),
                         seed=s, **options.get(m, {}))  # fmt: skip
            row = {"dataset": cell.dataset, "device": cell.device, "method": m, "seed": s,
                   "time": time.perf_counter() - t0}  # fmt: skip
            for b in budgets:
                for k, v in cell.score(res, b).items():
                    row[f"{k}@{b}"] = v
            out.append(row)
    return out


# ----------------------------------------------------------------------------- main
def _ints(text: str) -> list[int]:
    if "-" in text:
        a, b = text.split("-")
        return list(range(int(a), int(b) + 1))
    return [int(t) for t in text.split(",")]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", default="0-19", help="'a-b' or a comma list (report: 0-19)")
    ap.add_argument("--datasets", default=",".join(DATASETS))
    ap.add_argument("--devices", default=",".join(DEVICES))
    ap.add_argument("--budgets", default="100,300,1000")
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--ednag", default="{}", help="JSON options of the ednag method")
    ap.add_argument("--variants", default="{}",
                    help='JSON {"name": {ednag options}}: extra EDNAG rows (ablations)')
    ap.add_argument("--out", default=str(ROOT / "results" / "mo" / "bench_multiobjective.json"))
    ap.add_argument("--section", default="bench_multiobjective", help="doc section name")
    ap.add_argument("--no-doc", action="store_true")
    ap.add_argument("--suite", choices=["nb201", "blackbox", "ofa"], default="nb201")
    ap.add_argument("--problems", default=None, help="blackbox: comma list (default: all)")
    ap.add_argument("--report", default=None,
                    help="comma list of saved raw results: rebuild the tables, run nothing")
    ap.add_argument("--rename", default="{}",
                    help='with --report, JSON {"file": {"method": "new name" or null}}: '
                         "relabel (null: leave out) one file's rows")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    cmd = "python benchmarks/bench_multiobjective.py " + shlex.join(
        argv if argv is not None else sys.argv[1:])  # fmt: skip
    if args.report:
        renames = json.loads(args.rename)
        return _report_files(args.report.split(","), args.section, args.no_doc, cmd, renames)
    seeds, budgets = _ints(args.seeds), sorted(_ints(args.budgets))
    methods = args.methods.split(",")
    variants = json.loads(args.variants)
    res: dict[str, Any] = {"suite": args.suite, "budgets": budgets, "methods": methods}
    if args.suite == "blackbox":  # --methods given: only those rows (e.g. "ednag")
        given = args.methods != ",".join(METHODS)
        problems = args.problems.split(",") if args.problems else None
        res["rows"] = run_blackbox(seeds, only=methods if given else None, problems=problems)
    elif args.suite == "ofa":
        res["rows"] = run_ofa(seeds, budgets, methods, SEARCHERS, variants, json.loads(args.ednag))
        res["methods"] = methods + list(variants)
    else:
        res.update(_run_nb201(args, seeds, budgets, methods, variants))
        res["methods"] = methods + list(variants)
    secs = res.pop("secs", None)
    res["head"] = (f"Command: `{cmd}` (commit {git_rev()}); seeds {args.seeds}; {machine()}"
                   + ("; mean seconds per run at the largest budget: "
                      + ", ".join(f"{m} {s:.2f}" for m, s in secs.items()) if secs else "")
                   + ".")  # fmt: skip
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"command": cmd, **res}, indent=1))
    _write(res, args.section, args.no_doc)


def _run_nb201(args: argparse.Namespace, seeds: list[int], budgets: list[int],
               methods: list[str], variants: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
    options = {"ednag": json.loads(args.ednag)}
    rows: list[dict[str, Any]] = []
    fronts: dict[str, int] = {}
    nets: dict[str, int] = {}
    t0 = time.perf_counter()
    for d in args.datasets.split(","):
        for dev in args.devices.split(","):
            cell = Cell(d, dev)
            fronts[f"{d}/{dev}"] = len(cell.front_keys)
            nets[f"{d}/{dev}"] = len(cell.front_nets)
            rows += run_cell(cell, methods, seeds, budgets, options)
            for name, opts in variants.items():
                for r in run_cell(cell, ["ednag"], seeds, budgets, {"ednag": opts}):
                    rows.append({**r, "method": name})
            print(f"{d} {dev}: front {len(cell.front_keys)}, {time.perf_counter() - t0:.0f} s",
                  flush=True)  # fmt: skip
    names = methods + list(variants)
    secs = {m: float(np.mean([r["time"] for r in rows if r["method"] == m])) for m in names}
    return {"rows": rows, "fronts": fronts, "front_networks": nets, "secs": secs}


def _report_files(paths: list[str], section: str, no_doc: bool, cmd: str,
                  renames: dict[str, dict[str, str | None]] | None = None) -> None:  # fmt: skip
    """Tables from saved raw results; later files replace earlier rows of the same run.
    ``renames``: per file, method -> new name (``None``: its rows are left out)."""
    docs = [_renamed(json.loads(Path(p).read_text()), (renames or {}).get(p, {}))
            for p in paths]  # fmt: skip
    rows: dict[tuple, dict[str, Any]] = {}
    for doc in docs:
        for r in doc["rows"]:
            rows[tuple(r.get(k) for k in ("dataset", "device", "problem", "method", "seed"))] = r
    first = docs[0]
    methods = list(dict.fromkeys(m for doc in docs for m in doc.get("methods", METHODS)))
    methods.sort(key=lambda m: (m != "ednag", m.startswith("ednag")))  # ablations last
    pooled = None
    if first.get("suite") == "ofa" and len(docs) > 1:  # one reference front for all files
        pooled = rescore_ofa(list(rows.values()), first["budgets"])
        if pooled is None:
            print("note: a file has no saved fronts; each file keeps its own reference front")
    res = {"suite": first.get("suite", "nb201"), "budgets": first.get("budgets", [100, 300, 1000]),
           "methods": methods, "rows": pooled or list(rows.values()),
           "fronts": {k: v for doc in docs for k, v in doc.get("fronts", {}).items()},
           "front_networks": {k: v for doc in docs
                              for k, v in doc.get("front_networks", {}).items()}}  # fmt: skip
    heads = [doc.get("head") or f"Command: `{doc['command']}`." for doc in docs]
    res["head"] = " ".join(heads) + f" Tables from the raw results by `{cmd}`."
    _write(res, section, no_doc)


def _renamed(doc: dict[str, Any], names: dict[str, str | None]) -> dict[str, Any]:
    """``doc`` with its methods relabelled by ``names`` (``None``: rows dropped)."""
    if not names:
        return doc
    seen = dict.fromkeys([*doc.get("methods", METHODS), *(r["method"] for r in doc["rows"])])
    new = {m: names.get(m, m) for m in seen}  # the rows' names too (not only --methods')
    rows = [{**r, "method": new.get(r["method"], r["method"])} for r in doc["rows"]
            if names.get(r["method"], r["method"]) is not None]  # fmt: skip
    return {**doc, "rows": rows, "methods": [m for m in new.values() if m is not None]}


def _write(res: dict[str, Any], section: str, no_doc: bool) -> None:
    if res["suite"] == "blackbox":
        text = report_blackbox(res["rows"])
    elif res["suite"] == "ofa":
        text = report_ofa(res["rows"], res["budgets"], res["methods"])
    else:
        text = report_nb201(res["rows"], res["budgets"], res["methods"], res["fronts"],
                            res.get("front_networks"))  # fmt: skip
    print(text)
    if not no_doc:
        update_section(DOC, section, res["head"] + "\n\n" + text)


if __name__ == "__main__":
    main()
