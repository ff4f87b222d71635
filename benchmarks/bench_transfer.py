"""Few-shot search from related tasks (issue #13): surrogate mode with ``prior=``.

Leave one task out: a :class:`PriorSurrogate` is meta-trained on the OTHER tasks' tables of
the same space (NB201: the other two datasets' validation accuracy; TransNAS-Bench-101: the
other six tasks' validation metric; ``cross``: the three NB201 datasets mapped onto the
TransNAS micro space), then the held-out task is searched with real queries. The held-out
task's values never reach meta-training (tests/search/test_surrogate_prior.py checks it).

Rows, side by side in one run, every method through one cache per run, same budget in
unique real queries, never told the optimum (runs stop once they query it, which changes
nothing below): transfer (task-conditioned prior), its blind twin (same data, one pooled
head), surrogate mode without transfer, REA, TPE. Meta-training happens once per held-out
task and variant (``--prior-seeds`` models, run ``i`` uses model ``i % prior_seeds``):
meta-train once, search many times; its time is reported apart. Surrogate rows maximise
the acquisition over the whole (small) space (``optimizer="exhaustive"``).

Reported per held-out task: median real queries to its validation optimum (95% CI of the
median, misses count > budget), hits within the budget, regret of the very first query,
best validation value within budgets, NB201: test accuracy of the returned cell at budgets
1, 5, 10, 30; Mann-Whitney (two-sided) of queries-to-optimum vs transfer; predictor time.

Usage::

    python benchmarks/bench_transfer.py --part nb201                 # seeds 0..19
    python benchmarks/bench_transfer.py --part transnas-micro --seeds 10
    python benchmarks/bench_transfer.py --part nb201 --tuning        # seeds 100.., no doc
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import math
import os
import shlex
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import numpy as np
import torch
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _nas_common import fmt_q, machine, md_table, median_queries, update_section  # noqa: E402
from _transfer_devices import devices_table  # noqa: E402

from ednag_opt import search  # noqa: E402
from ednag_opt.fitness import CachedFitness, NB201Fitness, TransNASFitness  # noqa: E402
from ednag_opt.fitness.predictors import PriorSurrogate  # noqa: E402
from ednag_opt.fitness.predictors.prior_tasks import nb201_to_micro, prior_tables  # noqa: E402
from ednag_opt.fitness.transnas import TNB_TASKS  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "transfer"
DOC = ROOT / "docs" / "results_transfer.md"
NB201 = ("cifar10", "cifar100", "ImageNet16-120")
#: rows of a saved prior with other options: (prior, attributes set on it, search options)
ADAPT = {
    "transfer + recombination": ("transfer", {}, {"recombine": 3}),  # after 6, top 5
    "transfer (fitted weights)": ("transfer", {"task_weights": "fit"}, {}),
    "transfer (constant residual penalty)": ("transfer", {"residual_n0": None}, {}),
}
OLD = "transfer (earlier default)"  # fitted weights, constant penalty: runs before VERSION 2
OLD_TWIN = "blind twin (earlier default)"  # the blind twin with that adaptation
METHODS = ("transfer", *ADAPT, OLD, "blind twin", OLD_TWIN, "no transfer", "REA", "TPE")
CORE = ("transfer", "blind twin", "no transfer", "REA", "TPE")  # the rows of a full run
REQUIRED = ("transfer", "REA", "TPE")  # a seed enters the tables once it has these
VERSION = 2
_SHORT = {"epochs": 100, "pairs": 256, "adapt_epochs": 50}
PRIOR = {  # meta-training settings per part (TransNAS: 6 tasks, fewer and cheaper steps)
    "nb201": {},
    "transnas-micro": _SHORT,
    "transnas-macro": _SHORT,
    "cross": _SHORT,
}
SPACES = {"nb201": "nas-bench-201", "transnas-micro": "transnas-micro",
          "transnas-macro": "transnas-macro", "cross": "transnas-micro"}  # fmt: skip


@functools.cache
def fitness(part: str, task: str) -> Any:
    """The held-out task's validation fitness."""
    if part == "nb201":
        return NB201Fitness(task, metric="val")
    return TransNASFitness(task, SPACES[part].split("-")[1])


def prior_items(part: str, held: str) -> list[Any]:
    """Related tasks for ``held``: never ``held`` itself (leave one out)."""
    if part == "nb201":
        return [fitness(part, d) for d in NB201 if d != held]
    if part == "cross":
        return [nb201_to_micro(NB201Fitness(d, metric="val")) for d in NB201]
    return [fitness(part, t) for t in TNB_TASKS if t != held]


def tasks_of(part: str) -> tuple[str, ...]:
    return NB201 if part == "nb201" else TNB_TASKS


def meta_train(job: tuple[str, str, str, int, str]) -> tuple[str, float]:
    """Fit and save one prior (conditioned or blind twin) on ``device``; returns its path
    and fit time (priors fitted on a GPU are saved apart: other kernels, other models)."""
    part, held, variant, seed, device = job
    torch.set_num_threads(1)
    space = get_space(SPACES[part])
    tables = prior_tables(prior_items(part, held), space, True)
    t = time.perf_counter()
    cond = variant == "transfer"
    dev = "" if device == "cpu" else f"_{device.replace(':', '')}"
    path = OUT / f"prior_{part}_{held}_{variant.replace(' ', '_')}_{seed}{dev}.pt"
    side = path.with_suffix(".json")
    if path.exists() and side.exists():  # deterministic: a saved model is the same model
        return str(path), json.loads(side.read_text())["fit_time"]
    model = PriorSurrogate(space, conditioned=cond, seed=seed, device=device, **PRIOR[part])
    model.fit(tables)
    _sync(device)
    model.save(path)
    side.write_text(json.dumps({"fit_time": time.perf_counter() - t}))
    return str(path), time.perf_counter() - t


def _sync(device: str) -> None:
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def one_run(args: tuple[str, str, str, int, int, dict[str, Any], str]) -> dict[str, Any]:
    """One (held-out task, method, seed) run with its predictors on ``device``; a record."""
    part, held, method, seed, budget, priors, device = args
    torch.set_num_threads(1)
    fit = fitness(part, held)
    opt = fit.optimum()
    space = get_space(SPACES[part])
    opts: dict[str, Any] = {}
    if method in ("transfer", "blind twin", *ADAPT):
        base, over, extra = ADAPT.get(method, (method, {}, {}))
        paths = priors[base]
        prior = PriorSurrogate.load(paths[seed % len(paths)][0], space=space, device=device)
        for key, value in over.items():
            setattr(prior, key, value)
        opts = {"prior": prior, "optimizer": "exhaustive", **extra}
    elif method == "no transfer":
        opts = {"optimizer": "exhaustive", "surrogate": {"device": device}}
    name = {"REA": "rea", "TPE": "tpe"}.get(method, "surrogate")
    t = time.perf_counter()
    res = search(name, space, CachedFitness(fit), max_queries=budget, seed=seed,
                 target=opt.value, **opts)  # fmt: skip
    wall = time.perf_counter() - t
    rows = res.history
    rec = {
        "part": part, "task": held, "method": method, "seed": seed, "wall": wall, "v": VERSION,
        "device": device,
        "q": res.queries_to_reach(opt.value), "opt": opt.value,
        "first": res.queries[0][1] if res.queries else math.nan,
        "best": {b: res.best_within(b) for b in (1, 5, 10, 30, 50, 100) if b <= budget},
        "fit_time": sum(r.get("fit_time", 0.0) for r in rows),
        "search_time": sum(r.get("search_time", 0.0) for r in rows),
        "rounds": res.extras.get("rounds", 0),
    }  # fmt: skip
    if res.extras.get("prior_dropped_at") is not None:
        rec["prior_dropped_at"] = res.extras["prior_dropped_at"]
    if part == "nb201":
        rec["test"] = {}
        for b in (1, 5, 10, 30):
            top = [(a, v) for a, v in res.queries[:b]]
            arch = max(top, key=lambda av: av[1])[0]
            rec["test"][b] = float(fit.test_accuracy([arch])[0])
    return rec


def median_ci(x: list[float]) -> tuple[float, float]:
    """Distribution-free 95% CI of the median (binomial order statistics)."""
    s = np.sort(np.asarray(x, dtype=np.float64))
    n = len(s)
    lo = int(stats.binom.ppf(0.025, n, 0.5)) - 1
    hi = n - lo - 1
    return float(s[max(lo, 0)]), float(s[min(hi, n - 1)])


def table(part: str, held: str, recs: list[dict[str, Any]], budget: int) -> str:
    """Markdown rows of one held-out task."""
    by = {m: [r for r in recs if r["method"] == m] for m in METHODS}
    qs_t = [r["q"] or math.inf for r in by["transfer"]]
    header = ["method", "median queries (95% CI)", "hits / runs", "regret of 1st query"]
    budgets = (1, 5, 10, 30) if part == "nb201" else (10, 30, 100)
    header += [f"test acc. @{b}" for b in budgets] if part == "nb201" else [
        f"best val @{b}" for b in budgets]  # fmt: skip
    header += ["MWU p vs transfer", "fit / search s per round", "wall s / run"]
    rows = []
    for m in METHODS:
        rs = by[m]
        if not rs:
            continue
        qs = [r["q"] for r in rs]
        med = median_queries(qs, budget)[0]
        lo, hi = median_ci([q if q is not None else math.inf for q in qs])
        hits = sum(q is not None for q in qs)
        regret = np.median([r["opt"] - r["first"] for r in rs])
        if part == "nb201":
            cols = [f"{np.mean([r['test'][b] for r in rs]):.2f}" for b in budgets]
        else:
            cols = [f"{np.median([_best(r, b) for r in rs]):.4g}" for b in budgets]
        p = "" if m == "transfer" else _mwu(qs_t, [q or math.inf for q in qs])
        n = max(sum(r["rounds"] for r in rs), 1)
        per = (
            (
                f"{sum(r['fit_time'] for r in rs) / n:.3f} / "
                f"{sum(r['search_time'] for r in rs) / n:.3f}"
            )
            if m not in ("REA", "TPE")
            else "–"
        )
        wall = np.mean([r["wall"] for r in rs])
        ci = f"{fmt_q(med, budget)} ({fmt_q(lo, budget)}–{fmt_q(hi, budget)})"
        rows.append([m, ci, f"{hits}/{len(rs)}", f"{regret:.3g}", *cols, p, per, f"{wall:.2f}"])
    return md_table(header, rows)


def _best(r: dict[str, Any], b: int) -> float:
    v = r["best"].get(b)
    return r["opt"] if v is None else v  # stopped at the optimum before b queries


def _mwu(a: list[float], b: list[float]) -> str:
    fa = np.nan_to_num(np.asarray(a, dtype=float), posinf=1e9)
    fb = np.nan_to_num(np.asarray(b, dtype=float), posinf=1e9)
    if np.array_equal(np.sort(fa), np.sort(fb)):
        return "1"
    return f"{stats.mannwhitneyu(fa, fb, alternative='two-sided').pvalue:.2g}"


def quality(parts: list[str]) -> str:
    """Spearman of each saved prior (before any query) with the held-out task over the whole
    space, and the held-out optimum's rank under it: conditioned vs blind twin."""
    rows = []
    for part in parts:
        space = get_space(SPACES[part])
        every = space.enumerate()
        for held in tasks_of(part):
            fit = fitness(part, held)
            y = fit(every).numpy() * (1.0 if fit.maximize else -1.0)
            for variant in ("transfer", "blind twin"):
                own = tasks_of(part)[0] if part == "cross" else held  # cross: one prior
                paths = sorted(OUT.glob(f"prior_{part}_{own}_{variant.replace(' ', '_')}_*.pt"))
                if not paths:
                    continue
                rho, rank = [], []
                for path in paths:
                    p = PriorSurrogate.load(path, space=space).predict(every)
                    rho.append(stats.spearmanr(p, y)[0])
                    better = p > p[int(np.nanargmax(y))]
                    rank.append(int(better.sum()) + 1)
                rows.append([part, held, variant, f"{np.mean(rho):.3f}",
                             ", ".join(map(str, rank)), str(len(paths))])  # fmt: skip
    return md_table(["part", "held out", "prior", "Spearman (whole space)",
                     "rank of the held-out optimum", "models"], rows)  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--part", choices=sorted(SPACES), default="nb201")
    ap.add_argument("--tasks", default=None, help="comma-separated held-out tasks (default all)")
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--first-seed", type=int, default=0, help="add seeds from here (own file)")
    ap.add_argument("--tag", default="", help="name of this run's own raw file (merged)")
    ap.add_argument("--tuning", action="store_true", help="seeds 100.. (no doc update)")
    ap.add_argument("--budget", type=int, default=100)
    ap.add_argument("--prior-seeds", type=int, default=2)
    ap.add_argument("--methods", default=",".join(CORE))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--device", default=None, help="comma-separated torch devices (e.g. "
                    "cuda,cpu): the same rows with the predictors on each, timed in one run "
                    "(the DEVICES section; own raw files devices_<part>_<device>.jsonl)")
    ap.add_argument("--gpu-workers", type=int, default=2,
                    help="worker processes sharing the GPU in --device runs")  # fmt: skip
    ap.add_argument("--report", action="store_true",
                    help="only write the tables from the runs recorded so far")  # fmt: skip
    ap.add_argument("--quality", default=None, help="only the prior-quality table of saved "
                    "priors of these comma-separated parts (the QUALITY section)")  # fmt: skip
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    torch.set_num_threads(1)
    cmd = "python benchmarks/bench_transfer.py " + " ".join(
        shlex.quote(a) for a in sys.argv[1:] if a != "--report"
    )
    if args.quality:
        tab = quality(args.quality.split(","))
        print(tab)
        update_section(DOC, "QUALITY", f"Command: `{cmd}`; {dt.date.today()}.\n\n{tab}")
        return
    OUT.mkdir(parents=True, exist_ok=True)
    tail = (f"_from{args.first_seed}" if args.first_seed else "") + (
        f"_{args.tag}" if args.tag else "")  # fmt: skip
    if args.device:
        devices_main(args, cmd)
        return
    raw = OUT / f"runs_{args.part}{'_tuning' if args.tuning else ''}{tail}.jsonl"
    if not args.report:
        run(args, raw)
    report(args, raw, cmd)


def devices_main(args: argparse.Namespace, cmd: str) -> None:
    """The rows on each device of ``--device`` (one after the other), then their table."""
    devices = args.device.split(",")
    for dev in devices if not args.report else []:
        workers = args.gpu_workers if dev.startswith("cuda") else args.workers
        run(argparse.Namespace(**{**vars(args), "workers": workers}),
            OUT / f"devices_{args.part}_{dev.replace(':', '')}.jsonl", dev)  # fmt: skip
    recs = [json.loads(line) for dev in devices
            for line in (OUT / f"devices_{args.part}_{dev.replace(':', '')}.jsonl")
            .read_text().splitlines() if line.strip()]  # fmt: skip
    text = devices_table(recs, devices, args.budget, tasks_of(args.part), OUT, args.part)
    head = (f"Command: `{cmd}`; {machine()}; "
            f"{torch.cuda.get_device_name() if torch.cuda.is_available() else 'no GPU'}; "
            f"{args.gpu_workers} processes share the GPU, {args.workers} run the CPU rows, "
            f"1 thread each; {dt.date.today()}.")  # fmt: skip
    print(head, text, sep="\n\n")
    if not args.tuning:
        update_section(DOC, f"{args.part.upper()}_DEVICES", head + "\n\n" + text)


def run(args: argparse.Namespace, raw: Path, device: str = "cpu") -> None:
    """Meta-train (or reuse saved priors), then every run; each record is appended to
    ``raw`` as it completes (seeds outermost, so a cut run stays balanced). Off the CPU,
    only the priors the methods use are fitted, in fresh (spawned) worker processes."""
    part = args.part
    helds = args.tasks.split(",") if args.tasks else list(tasks_of(part))
    seeds = [(100 if args.tuning else 0) + args.first_seed + i for i in range(args.seeds)]
    own = helds[:1] if part == "cross" else helds  # cross: one prior (all NB201) for all
    methods = args.methods.split(",")
    used = {ADAPT.get(m, (m,))[0] for m in methods}
    variants = [v for v in ("transfer", "blind twin") if device == "cpu" or v in used]
    fits = [(part, h, v, s, device) for h in own for v in variants
            for s in range(args.prior_seeds)]  # fmt: skip
    t0 = time.perf_counter()
    ctx = get_context("fork" if device == "cpu" else "spawn")  # CUDA does not survive fork
    with ProcessPoolExecutor(args.workers, mp_context=ctx) as pool:
        priors: dict[str, dict[str, list]] = {h: {} for h in helds}
        for (_, h, v, _, _), got in zip(fits, pool.map(meta_train, fits)):
            for t in helds if part == "cross" else [h]:
                priors[t].setdefault(v, []).append(got)
        name = f"priors_{part}.json" if device == "cpu" else f"priors_{part}_{device}.json"
        (OUT / name).write_text(json.dumps(priors))
        jobs = [(part, h, m, s, args.budget, priors[h], device) for s in seeds for h in helds
                for m in methods]  # fmt: skip
        with raw.open("w") as fh:
            for rec in pool.map(one_run, jobs):
                rec["elapsed_min"] = (time.perf_counter() - t0) / 60
                fh.write(json.dumps(rec) + "\n")
                fh.flush()


def report(args: argparse.Namespace, raw: Path, cmd: str) -> None:
    """Tables of the recorded runs (printed; the doc section unless tuning)."""
    files = [raw] if args.tuning else [OUT / f"runs_{args.part}.jsonl", *sorted(
        f for f in OUT.glob(f"runs_{args.part}_*.jsonl") if "tuning" not in f.name)]  # fmt: skip
    recs = [json.loads(line) for f in dict.fromkeys(files) if f.exists()
            for line in f.read_text().splitlines() if line.strip()]  # fmt: skip
    for r in recs:  # earlier runs' "transfer" had the earlier default adaptation
        if r["method"] in ("transfer", "blind twin") and "v" not in r:
            r["method"] = OLD if r["method"] == "transfer" else OLD_TWIN
    for r in recs:  # JSON turned the budget keys into strings
        r["best"] = {int(k): v for k, v in r["best"].items()}
        if "test" in r:
            r["test"] = {int(k): v for k, v in r["test"].items()}
    priors = json.loads((OUT / f"priors_{args.part}.json").read_text())
    cells = {(r["task"], r["method"]) for r in recs if r["method"] in REQUIRED}
    done = {s for s in {r["seed"] for r in recs}  # keep seeds with every core run done
            if cells <= {(r["task"], r["method"]) for r in recs if r["seed"] == s}}  # fmt: skip
    recs = [r for r in recs if r["seed"] in done]
    seeds = sorted(done)
    mins = max((r.get("elapsed_min", 0.0) for r in recs), default=0.0)
    head = (f"Latest command: `{cmd}` (the tables merge every `runs_{args.part}*.jsonl` "
            f"under results/transfer/); seeds {seeds[0]}..{seeds[-1]} (runs per row below); "
            f"budget {args.budget} unique real queries; {len(recs)} runs, the longest file "
            f"{mins:.1f} min wall (meta-training included); {machine()}, {args.workers} "
            f"worker processes, 1 thread each; {dt.date.today()}.")  # fmt: skip
    parts = [head]
    for h in [t for t in tasks_of(args.part) if any(r["task"] == t for r in recs)]:
        fit = {v: np.mean([t for _, t in priors[h][v]]) for v in priors[h]}
        if all(math.isnan(t) for t in fit.values()):
            title = f"**{h} held out** (priors reused from an earlier identical fit)"
        else:
            title = (f"**{h} held out** (meta-training: transfer {fit['transfer']:.1f} s, "
                     f"blind twin {fit['blind twin']:.1f} s per model)")  # fmt: skip
        tab = table(args.part, h, [r for r in recs if r["task"] == h], args.budget)
        print(title, tab, sep="\n", flush=True)
        parts += [title, tab]
    if not args.tuning:
        update_section(DOC, args.part.upper(), "\n\n".join(parts))


if __name__ == "__main__":
    main()
