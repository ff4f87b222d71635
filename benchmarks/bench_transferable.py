"""Meta-train and evaluate the transferable predictor on the digits meta table.

Subcommands (each writes JSON under ``results/transferable/``; ``docs/results_transferable.md``
holds the tables)::

    python benchmarks/bench_transferable.py train --seeds 0 1 2 3 4   # + dataset-blind twins
    python benchmarks/bench_transferable.py spearman                 # held-out tasks
    python benchmarks/bench_transferable.py variance                 # coreset vs random
    python benchmarks/bench_transferable.py e2e --seeds 0 1 2 3 4 5 6 7 8 9
    python benchmarks/bench_transferable.py cv                       # settings, training tasks
    python benchmarks/bench_transferable.py report                   # markdown tables

Training tasks are the table's tasks not in ``HELD_OUT``; the held-out tasks of the table
are only used for evaluation. ``train --save-model`` also writes the repository model.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import torch
from scipy.stats import spearmanr

from ednag_opt import generate
from ednag_opt.fitness.predictors import TransferablePredictor, read_meta_table
from ednag_opt.fitness.predictors.coreset import random_subset
from ednag_opt.fitness.training import TrainingFitness
from ednag_opt.spaces import get_space
from ednag_opt.training.tasks import HELD_OUT

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "src" / "ednag_opt" / "data" / "meta" / "nb201_digits_meta.csv"
OUT = ROOT / "results" / "transferable"
REPO_MODEL = ROOT / "src" / "ednag_opt" / "data" / "models" / "transferable_nb201_digits.pt"


def model_path(seed: int, dataset: bool, split: str = "all") -> Path:
    return OUT / "models" / f"{split}_{'ds' if dataset else 'blind'}_seed{seed}.pt"


def load_table(path: Path) -> tuple[dict, list[str], list[str]]:
    """``{column: {task: {arch: value}}}``, training tasks, held-out tasks."""
    rows = read_meta_table(path)
    by: dict[str, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(dict))
    for r in rows:
        for col in ("val_acc", "test_acc", "naswot", "synflow"):
            by[col][r["task"]][r["arch"]] = float(r[col])
    tasks = list(by["val_acc"])
    return by, [t for t in tasks if t not in HELD_OUT], [t for t in tasks if t in HELD_OUT]


def rows_for(by: dict, tasks: list[str], archs: set[str] | None = None) -> list[tuple]:
    return [
        (t, a, v) for t in tasks for a, v in by["val_acc"][t].items() if archs is None or a in archs
    ]


def arch_split(by: dict, seed: int = 0, frac: float = 0.25) -> tuple[set[str], set[str]]:
    """(seen, unseen) cells: ``frac`` of the table's cells hidden from meta-training."""
    cells = sorted(next(iter(by["val_acc"].values())))
    rng = np.random.default_rng(seed)
    unseen = set(rng.choice(cells, size=int(frac * len(cells)), replace=False).tolist())
    return set(cells) - unseen, unseen


def rho(a, b) -> float:
    return float(spearmanr(a, b)[0])


def cmd_train(args, by, train, held) -> dict:
    out = {}
    seen, _ = arch_split(by)
    for split in args.splits:
        for seed in args.seeds:
            for ds in (True, False):
                t0 = time.perf_counter()
                archs = None if split == "all" else seen
                pred = TransferablePredictor(seed=seed, use_dataset=ds, epochs=args.epochs)
                pred.fit(rows_for(by, train, archs), tasks=train)
                pred.save(model_path(seed, ds, split))
                dt = time.perf_counter() - t0
                out[f"{split}/{ds}/{seed}"] = {"seconds": dt, "final_loss": pred.history_[-1]}
                print(f"{split} dataset={ds} seed={seed}: {dt:.0f} s", flush=True)
                if args.save_model and split == "all" and ds and seed == args.seeds[0]:
                    pred.save(REPO_MODEL)
    return out


def cmd_spearman(args, by, train, held) -> dict:
    _, unseen = arch_split(by)
    res: dict = {}
    for split in args.splits:
        for t in held + train:
            archs = sorted(by["val_acc"][t])
            if split == "unseen":
                archs = [a for a in archs if a in unseen]
            val = [by["val_acc"][t][a] for a in archs]
            test = [by["test_acc"][t][a] for a in archs]
            row = {"n": len(archs), "val_vs_test": rho(val, test)}
            for col in ("naswot", "synflow"):
                row[col] = rho([by[col][t][a] for a in archs], val)
            others = [s for s in train if s != t]
            mean = [np.mean([by["val_acc"][s][a] for s in others]) for a in archs]
            row["mean_train"] = (rho(mean, val), rho(mean, test))
            for ds in (True, False):
                vals = []
                for seed in args.seeds:
                    path = model_path(seed, ds, split if split == "unseen" else "all")
                    p = TransferablePredictor.load(path).predict(archs, t)
                    vals.append((rho(p, val), rho(p, test)))
                row["ds" if ds else "blind"] = vals
            res[f"{split}/{t}"] = row
            m = {
                k: np.mean(v, axis=0).round(3).tolist()
                for k, v in row.items()
                if k in ("ds", "blind")
            }
            print(split, t, m, "mean_train", np.round(row["mean_train"], 3), flush=True)
    return res


def _codes(pred, t, subsets) -> torch.Tensor:
    return torch.stack([pred.encode_subset(c) for c in subsets])


def cmd_variance(args, by, train, held) -> dict:
    """Spread of repeated predictions: cached coreset, K-means seeds, random subsets."""
    cells = sorted(next(iter(by["val_acc"].values())))
    archs = np.random.default_rng(0).choice(cells, size=args.archs, replace=False).tolist()
    res: dict = {}
    for m in args.seeds:
        pred = TransferablePredictor.load(model_path(m, True))
        k, reps = pred.params["per_class"], args.repeats
        task_codes = torch.stack([pred.task_code(t) for t in train + held])
        between = torch.cdist(task_codes, task_codes).sum() / (
            len(task_codes) ** 2 - len(task_codes)
        )
        per_task = np.stack([pred.predict(archs, t) for t in train + held])
        for t in held:
            feats, labels = pred.task_features(t)
            rng = np.random.default_rng(12345 + m)
            z_core = _codes(pred, t, [pred.coreset(t, seed=s) for s in range(reps)])
            z_rand = _codes(pred, t, [random_subset(feats, labels, k, rng) for _ in range(reps)])
            cached = np.stack([pred.predict(archs, t) for _ in range(reps)])
            core = np.stack([pred.predict_codes(archs, z).numpy() for z in z_core])
            rand = np.stack([pred.predict_codes(archs, z).numpy() for z in z_rand])
            v_cached, v_core, v_rand = (x.var(axis=0, ddof=1) for x in (cached, core, rand))
            res[f"{m}/{t}"] = {
                "var_cached": float(v_cached.mean()),
                "var_kmeans_seeds": float(v_core.mean()),
                "var_random": float(v_rand.mean()),
                "factor": float(v_rand.mean() / v_core.mean()),
                "std_kmeans": float(np.sqrt(v_core).mean()),
                "std_random": float(np.sqrt(v_rand).mean()),
                "std_between_tasks": float(per_task.std(axis=0, ddof=1).mean()),
                "zdist_kmeans": float((z_core - z_core.mean(0)).norm(dim=1).mean()),
                "zdist_random": float((z_rand - z_rand.mean(0)).norm(dim=1).mean()),
                "zdist_between_tasks": float(between),
                "min_rho_random_vs_coreset": min(rho(r, cached[0]) for r in rand),
            }
            print(m, t, {a: float(f"{b:.3g}") for a, b in res[f"{m}/{t}"].items()}, flush=True)
    for t in held:
        f = [res[f"{m}/{t}"]["factor"] for m in args.seeds]
        res[f"factor/{t}"] = {"mean": float(np.mean(f)), "min": min(f), "max": max(f)}
        print(t, "factor", res[f"factor/{t}"], flush=True)
    return res


def _top(cache, k: int) -> list[str]:
    items = sorted(cache.values.items(), key=lambda kv: -kv[1])
    return [a for a, _ in items[:k]]


def _best_of(tf: TrainingFitness, archs: list[str]) -> tuple[float, float]:
    """(val, test) of the architecture with the best validation accuracy among ``archs``."""
    res = [tf.result(a) for a in archs]
    best = max(res, key=lambda r: r.val_accuracy)
    return best.val_accuracy, best.test_accuracy


def cmd_e2e(args, by, train, held) -> dict:
    space = get_space("nas-bench-201")
    every = space.enumerate()
    tasks = args.tasks or held
    ms = args.model_seeds
    models = {(m, ds): TransferablePredictor.load(model_path(m, ds)) for m in ms for ds in (1, 0)}
    best_pred: dict = {}  # (model seed, dataset, task) -> exhaustive argmax of the predictor
    res: dict = {}
    for t in tasks:
        tf = TrainingFitness(t)  # the meta table's protocol (2 epochs, C=8, N=1, seed 0)
        runs = []
        for s in args.seeds:
            row: dict = {"seed": s}
            m = ms[s % len(ms)]
            for ds in (1, 0):
                pred = models[(m, ds)]
                g = generate("nas-bench-201", pred.as_fitness(t), seed=s, max_queries=args.queries)
                top = _top(g.cache, args.k)
                if (m, ds, t) not in best_pred:
                    best_pred[(m, ds, t)] = str(every[int(pred.predict(every, t).argmax())])
                name = "ds" if ds else "blind"
                row[name] = {
                    "top": top,
                    "top1": _best_of(tf, top[:1]),
                    f"top{args.k}": _best_of(tf, top),
                    "model_seed": m,
                    "found_global_best": best_pred[(m, ds, t)] == top[0],
                    "queries": g.unique_queries,
                }
            perm = np.random.default_rng(10_000 + s).permutation(len(every))[: args.k]
            rand = [str(every[i]) for i in perm]
            row["random"] = {"archs": rand, "top1": _best_of(tf, rand[:1])}
            row["random"][f"top{args.k}"] = _best_of(tf, rand)
            runs.append(row)
            summary = {k: (row[k]["top1"], row[k][f"top{args.k}"]) for k in row if k != "seed"}
            print(t, s, summary, flush=True)
        res[t] = {"runs": runs, "trained": len(tf.results()), "train_seconds": tf.train_seconds}
    return res


def cmd_cv(args, by, train, held) -> dict:
    """Settings compared on the training tasks only (2 training tasks held out per fold)."""
    folds = [train[i::3] for i in range(3)]
    settings = {
        "default": {},
        "mse_only": {"rank_weight": 0.0},
        "rank_heavy": {"rank_weight": 2.0},
        "epochs600": {"epochs": 600},
    }
    res = {}
    for name, kw in settings.items():
        rhos = []
        for fold in folds:
            fit_tasks = [t for t in train if t not in fold]
            pred = TransferablePredictor(seed=0, **kw).fit(rows_for(by, fit_tasks), fit_tasks)
            for t in fold:
                archs = sorted(by["val_acc"][t])
                rhos.append(rho(pred.predict(archs, t), [by["val_acc"][t][a] for a in archs]))
        res[name] = {"mean_rho": float(np.mean(rhos)), "rhos": rhos}
        print(name, round(float(np.mean(rhos)), 3), np.round(rhos, 3), flush=True)
    return res


def _ms(x) -> str:
    return f"{np.mean(x):.3f} ± {np.std(x):.3f}" if len(x) > 1 else f"{np.mean(x):.3f}"


def cmd_report(args, by, train, held) -> dict:
    """Markdown tables from the JSON files of the other commands."""
    sp = json.loads((OUT / "spearman.json").read_text())["result"]
    for split in args.splits:
        print(f"\n{split}: Spearman vs val / test accuracy (predictor: mean ± std over seeds)\n")
        print("| task | cells | dataset-aware | dataset-blind | cross-task mean | naswot | synflow "
              "| val vs test |\n|---|---|---|---|---|---|---|---|")  # fmt: skip
        for t in held + train:
            r = sp[f"{split}/{t}"]
            ds, bl = np.array(r["ds"]), np.array(r["blind"])
            cells = [f"{_ms(ds[:, 0])} / {_ms(ds[:, 1])}", f"{_ms(bl[:, 0])} / {_ms(bl[:, 1])}"]
            cells.append("{:.3f} / {:.3f}".format(*r["mean_train"]))
            cells += [f"{r['naswot']:.3f}", f"{r['synflow']:.3f}", f"{r['val_vs_test']:.3f}"]
            print(
                f"| {t}{'' if t in held else ' (train)'} | {r['n']} | " + " | ".join(cells) + " |"
            )
    va = json.loads((OUT / "variance.json").read_text())["result"]
    print("\n| task | std K-means seeds | std random | var factor: mean (min-max) | z_D spread "
          "K-means / random / between tasks | min rho |\n|---|---|---|---|---|---|")  # fmt: skip
    for t in held:
        rs = [v for k, v in va.items() if k.endswith(f"/{t}") and not k.startswith("factor")]
        f = va[f"factor/{t}"]
        mean = {k: np.mean([r[k] for r in rs]) for k in rs[0]}
        cols = [f"{mean['std_kmeans']:.2e}", f"{mean['std_random']:.2e}"]
        cols.append(f"{f['mean']:.1f} ({f['min']:.1f}-{f['max']:.1f})")
        z = [mean[k] for k in ("zdist_kmeans", "zdist_random", "zdist_between_tasks")]
        cols.append(" / ".join(f"{v:.2g}" for v in z))
        cols.append(f"{min(r['min_rho_random_vs_coreset'] for r in rs):.4f}")
        print(f"| {t} | " + " | ".join(cols) + " |")
    print("\n| task | method | top-1 test | best-of-3 test | best-of-3 >= random (paired) "
          "| runs |\n|---|---|---|---|---|---|")  # fmt: skip
    for t in held:
        path = OUT / f"e2e_{t}.json"
        if not path.exists():
            continue
        runs = json.loads(path.read_text())["result"][t]["runs"]
        rand3 = np.array([r["random"]["top3"][1] for r in runs])
        for m in ("ds", "blind", "random"):
            a1 = [r[m]["top1"][1] for r in runs]
            a3 = np.array([r[m]["top3"][1] for r in runs])
            w = f"{(a3 > rand3).sum()}/{(a3 == rand3).sum()}/{(a3 < rand3).sum()}"
            print(f"| {t} | {m} | {_ms(a1)} | {_ms(a3)} | {w if m != 'random' else ''} "
                  f"| {len(runs)} |")  # fmt: skip
        test = by["test_acc"][t]
        best_val = max(by["val_acc"][t], key=by["val_acc"][t].get)
        print(
            f"| {t} | table: 200 cells | median {np.median(list(test.values())):.3f} | "
            f"best-val cell {test[best_val]:.3f}, max {max(test.values()):.3f} | | |"
        )
    return {}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("command", choices=["train", "spearman", "variance", "e2e", "cv", "report"])
    ap.add_argument("--table", type=Path, default=TABLE)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4])
    ap.add_argument("--splits", nargs="+", default=["all", "unseen"], choices=["all", "unseen"])
    ap.add_argument("--epochs", type=int, default=300)
    ap.add_argument("--save-model", action="store_true", help=f"also write {REPO_MODEL}")
    ap.add_argument("--repeats", type=int, default=30, help="variance: repeats")
    ap.add_argument("--archs", type=int, default=20, help="variance: architectures")
    ap.add_argument("--tasks", nargs="+", default=None, help="e2e: tasks (default held-out)")
    ap.add_argument("--k", type=int, default=3, help="e2e: architectures trained per method")
    ap.add_argument("--queries", type=int, default=500, help="e2e: predictor queries")
    ap.add_argument("--model-seeds", type=int, nargs="+", default=[0, 1, 2, 3, 4], help="e2e")
    ap.add_argument("--tag", default="", help="suffix of the output JSON name")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    by, train, held = load_table(args.table)
    t0 = time.perf_counter()
    fn = {"train": cmd_train, "spearman": cmd_spearman, "variance": cmd_variance}
    fn |= {"e2e": cmd_e2e, "cv": cmd_cv, "report": cmd_report}
    result = fn[args.command](args, by, train, held)
    meta = {
        "command": " ".join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])]),
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, torch {torch.__version__}",
        "seconds": time.perf_counter() - t0,
        "train_tasks": train,
        "held_out": held,
        "table_rows": sum(len(v) for v in by["val_acc"].values()),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{args.command}{'_' + args.tag if args.tag else ''}.json"
    path.write_text(
        json.dumps({"meta": meta, "args": vars(args), "result": result}, indent=1, default=str)
    )
    print(f"wrote {path} ({meta['seconds']:.0f} s)")


if __name__ == "__main__":
    main()
