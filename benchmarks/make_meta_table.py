"""Train a sample of NAS-Bench-201 cells on every task and write a compact meta-training CSV.

One row per (task, cell): validation/test/train accuracy (fractions), training seconds,
parameters and MACs of the trained network, and the NASWOT and synflow proxy scores of the
same network at initialisation. Cells are the 5 single-op anchors (all-none, all-skip,
all-conv1x1, all-conv3x3, all-avgpool) followed by distinct uniformly random cells; the same
cells are used for every task. Rows are written as they finish (cell-major), so an interrupted
run leaves every task of each finished cell; ``--time-limit`` stops cleanly after a cell.

Example (the committed table)::

    python benchmarks/make_meta_table.py --cells 200 --epochs 2 --min-steps 30 --seed 0 \
        --tasks digits_all digits_0to4 digits_5to9 digits_even digits_odd digits_parity \
        digits_low_high digits_mod3 digits_3v5v8 digits_prime \
        --time-limit 3300 --output src/ednag_opt/data/meta/nb201_digits_meta.csv
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import shlex
import sys
import time
from pathlib import Path

import numpy as np
import torch

from ednag_opt.fitness.proxies import naswot_score, spearman, synflow_score
from ednag_opt.training.archs import nb201_string
from ednag_opt.training.networks import count_flops
from ednag_opt.training.tasks import get_task, list_tasks
from ednag_opt.training.trainer import TrainConfig, train_architecture

COLUMNS = [
    "task",
    "arch",
    "val_acc",
    "test_acc",
    "train_acc",
    "train_time",
    "params",
    "macs",
    "naswot",
    "synflow",
]
ANCHORS = [[k] * 6 for k in range(5)]


def sample_cells(n: int, seed: int) -> list[str]:
    """The anchors, then distinct uniform random NB201 cells (drawn with ``seed``)."""
    cells = [nb201_string(a) for a in ANCHORS][:n]
    rng = np.random.default_rng(seed)
    seen = set(cells)
    while len(cells) < n:
        s = nb201_string(rng.integers(0, 5, size=6).tolist())
        if s not in seen:
            seen.add(s)
            cells.append(s)
    return cells


def summarize(path: Path) -> list[str]:
    """Report lines for a written table: per-task accuracy spread, train time, and the
    Spearman correlation of NASWOT, synflow and parameter count with validation accuracy
    (and, when the NB201 benchmark CSV is found, of digits accuracy with CIFAR-10 accuracy).
    """
    lines = [ln for ln in path.read_text().splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(lines))
    by_task: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        by_task.setdefault(r["task"], []).append(r)
    ref = _nb201_cifar10()
    out = [
        f"{len(rows)} rows, {len(by_task)} tasks, {len({r['arch'] for r in rows})} cells, "
        f"total train time {sum(float(r['train_time']) for r in rows):.0f} s",
        "task | cells | val acc min/median/max | train s/cell | rho naswot | rho synflow"
        " | rho params | rho CIFAR-10 (NB201)",
    ]
    for name, rs in by_task.items():
        acc = [float(r["val_acc"]) for r in rs]
        rho = [spearman([float(r[k]) for r in rs], acc) for k in ("naswot", "synflow", "params")]
        c10 = "n/a"
        if ref:
            pairs = [(float(r["val_acc"]), ref[r["arch"]]) for r in rs if r["arch"] in ref]
            c10 = f"{spearman([a for a, _ in pairs], [b for _, b in pairs]):.3f}"
        t = np.mean([float(r["train_time"]) for r in rs])
        out.append(
            f"{name} | {len(rs)} | {min(acc):.3f}/{np.median(acc):.3f}/{max(acc):.3f} | "
            f"{t:.2f} | {rho[0]:.3f} | {rho[1]:.3f} | {rho[2]:.3f} | {c10}"
        )
    return out


def _read_rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(ln for ln in path.read_text().splitlines() if ln[:1] != "#"))


def compare(path_a: Path, path_b: Path) -> list[str]:
    """Per task, Spearman of val accuracy between two tables on their common cells
    (e.g. two training seeds: how reproducible the ranking is)."""
    b = {(r["task"], r["arch"]): float(r["val_acc"]) for r in _read_rows(path_b)}
    pairs: dict[str, list[tuple[float, float]]] = {}
    for r in _read_rows(path_a):
        if (r["task"], r["arch"]) in b:
            pairs.setdefault(r["task"], []).append((float(r["val_acc"]), b[r["task"], r["arch"]]))
    out = [f"rank agreement of val acc, {path_a.name} vs {path_b.name}:"]
    for task, ps in pairs.items():
        rho = spearman([x for x, _ in ps], [y for _, y in ps])
        mad = np.mean([abs(x - y) for x, y in ps])
        out.append(f"{task}: {len(ps)} cells, rho {rho:.3f}, mean |diff| {mad:.4f}")
    return out


def _nb201_cifar10() -> dict[str, float]:
    """NB201 arch string -> 200-epoch cifar10-valid validation accuracy, if the CSV is found."""
    try:
        from ednag_opt.datasets import find_data_file

        path = find_data_file("nasbench201/nb201_merged_200ep.csv")
    except (ImportError, FileNotFoundError):
        return {}
    with path.open() as fh:
        return {r["arch_str"]: float(r["cifar10-valid_val_mean"]) for r in csv.DictReader(fh)}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tasks", nargs="*", default=None, help="task names (default: all listed)")
    p.add_argument("--cells", type=int, default=200, help="number of cells (incl. 5 anchors)")
    p.add_argument("--epochs", type=int, default=2)
    p.add_argument("--min-steps", type=int, default=30, help="at least this many SGD steps")
    p.add_argument("--seed", type=int, default=0, help="training (and default cell) seed")
    p.add_argument("--cell-seed", type=int, default=None, help="cell sample seed (--seed)")
    p.add_argument("--C", type=int, default=8, help="network width")
    p.add_argument("--N", type=int, default=1, help="cells per stage")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--time-limit", type=float, default=None, help="stop after this many s")
    p.add_argument(
        "--output", type=Path, default=Path("src/ednag_opt/data/meta/nb201_digits_meta.csv")
    )
    p.add_argument("--summarize", type=Path, default=None, help="only report on this table")
    p.add_argument("--compare", type=Path, default=None, help="with --summarize: rank-compare")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.summarize is not None:
        print("\n".join(summarize(args.summarize)))
        if args.compare is not None:
            print("\n".join(compare(args.summarize, args.compare)))
        return 0
    torch.set_num_threads(args.threads)
    tasks = args.tasks or [t for t in list_tasks() if get_task(t).source == "digits"]
    cell_seed = args.seed if args.cell_seed is None else args.cell_seed
    cells = sample_cells(args.cells, cell_seed)
    cfg = TrainConfig(
        epochs=args.epochs,
        min_steps=args.min_steps,
        seed=args.seed,
        size=(("C", args.C), ("N", args.N)),
    )
    size = dict(cfg.size)
    command = "python benchmarks/make_meta_table.py " + " ".join(
        shlex.quote(a) for a in (sys.argv[1:] if argv is None else argv)
    )
    started = dt.datetime.now(dt.timezone.utc)
    header = [
        f"# command: {command}",
        f"# date: {started.isoformat(timespec='seconds')}",
        f"# seed: {args.seed}; cell seed: {cell_seed}; cells: {len(cells)}; "
        f"tasks: {' '.join(tasks)}",
        f"# protocol: {cfg}; torch {torch.__version__}; threads {args.threads}",
        "# accuracies are fractions; train_time in seconds (train + eval, CPU); macs per image",
    ]
    args.output.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    rows: list[list[object]] = []
    done_cells = 0
    with args.output.open("w", newline="") as fh:
        fh.write("\n".join(header) + "\n")
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i, cell in enumerate(cells):
            for name in tasks:
                task = get_task(name)
                r = train_architecture(cell, task, cfg)
                macs = count_flops(cell, task.image_size, task.num_classes, task.channels, **size)
                nw = naswot_score(cell, task, seed=args.seed, **size)
                sf = synflow_score(cell, task, seed=args.seed, **size)
                row = [name, cell, f"{r.val_accuracy:.4f}", f"{r.test_accuracy:.4f}"]
                row += [f"{r.train_accuracy:.4f}", f"{r.train_time:.3f}", r.params, macs]
                row += [f"{nw:.3f}", f"{sf:.3f}"]
                writer.writerow(row)
                rows.append(row)
            fh.flush()
            done_cells = i + 1
            elapsed = time.perf_counter() - t0
            print(f"[{elapsed:7.1f}s] cell {done_cells}/{len(cells)} {cell}", flush=True)
            if args.time_limit is not None and elapsed > args.time_limit:
                print("time limit reached; stopping", flush=True)
                break
    elapsed = time.perf_counter() - t0
    header.append(f"# finished: {done_cells} cells x {len(tasks)} tasks in {elapsed:.0f} s")
    with args.output.open("w", newline="") as fh:  # rewrite with the final header
        fh.write("\n".join(header) + "\n")
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    print(header[-1])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
