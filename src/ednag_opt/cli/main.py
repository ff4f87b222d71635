"""``ednag-opt``: generate architectures from the command line.

```
ednag-opt generate --space nas-bench-201 --dataset cifar10 --seed 0 --output result.json
ednag-opt generate --space transnas-micro --task class_scene --table PATH
ednag-opt generate --space nas-bench-201 --dataset ImageNet16-120 --surrogate --max-queries 150
ednag-opt spaces
```
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

import torch
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ..generate import PRESETS, generate
from ..spaces import get_space, list_spaces

__all__ = ["main", "build_parser"]

TABULAR = {"nas-bench-201", "transnas-micro", "transnas-macro"}
SURROGATE_BUDGET = 200


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ednag-opt", description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="generate architectures with EvolutionaryDDIM")
    g.add_argument("--space", required=True, help=f"one of {', '.join(list_spaces())}")
    g.add_argument("--dataset", default="cifar10", help="NAS-Bench-201 dataset")
    g.add_argument("--task", default="class_scene", help="TransNAS-Bench-101 task")
    g.add_argument("--metric", default=None, help="fitness metric (default: validation)")
    g.add_argument("--table", default=None, help="benchmark table (CSV or official file)")
    g.add_argument("--test-table", default=None, help="NB201 table with test accuracy")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--preset", default="default", choices=sorted(PRESETS))
    g.add_argument("--popsize", type=int, default=None)
    g.add_argument("--num-steps", type=int, default=None)
    g.add_argument("--max-queries", type=int, default=None, help="unique-query budget")
    g.add_argument(
        "--surrogate",
        action="store_true",
        help="surrogate mode: the generator searches a predictor fitted on the queries so "
        f"far and only its top candidates are queried (budget default {SURROGATE_BUDGET})",
    )
    g.add_argument("--top-k", type=int, default=5)
    g.add_argument("--output", default=None, help="write the result as JSON here")
    g.add_argument("--plot", default=None, help="save the best-so-far curve (PNG)")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("spaces", help="list the search spaces")
    return p


def _fitness(args: argparse.Namespace) -> tuple[Any, Any]:
    """The search fitness and, when available, a test-accuracy reporter."""
    if args.space not in TABULAR:
        raise SystemExit(
            f"error: no benchmark table exists for {args.space!r}; the command line covers "
            f"{', '.join(sorted(TABULAR))}. Use the Python API with your own fitness: "
            "ednag_opt.generate(space, fitness)"
        )
    if args.space == "nas-bench-201":
        from ..fitness import NB201Fitness

        source = args.table or "auto"
        fit = NB201Fitness(args.dataset, metric=args.metric or "val", source=source)
        test = None
        if args.test_table:
            test = NB201Fitness(args.dataset, metric="test", source=args.test_table)
        elif "test" in fit.table.columns:
            test = fit
        return fit, (None if test is None else test.test_accuracy)
    from ..fitness import TransNASFitness

    kind = args.space.split("-")[1]
    fit = TransNASFitness(
        args.task, space=kind, metric=args.metric or "valid", source=args.table or "auto"
    )
    return fit, None


def _generate(args: argparse.Namespace, console: Console) -> int:
    try:
        space = get_space(args.space)
        fitness, test_fn = _fitness(args)
    except (ValueError, FileNotFoundError, ImportError, KeyError) as exc:
        console.print(f"[red]error:[/red] {exc}")
        return 2
    kwargs = dict(seed=args.seed, preset=args.preset, max_queries=args.max_queries)
    if args.popsize:
        kwargs["popsize"] = args.popsize
    if args.num_steps:
        kwargs["num_steps"] = args.num_steps
    cfg = PRESETS[args.preset]
    steps = args.num_steps or cfg.get("num_steps", 100)
    pop = args.popsize or cfg.get("popsize", 30)
    total = args.max_queries or steps * pop
    run = generate
    if args.surrogate:
        from ..surrogate_search import surrogate_generate as run

        total = kwargs["max_queries"] = args.max_queries or SURROGATE_BUDGET
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=console, disable=args.quiet) as bar:
        budget = kwargs["max_queries"] is not None
        label = "unique queries" if budget else "queries"
        task = bar.add_task(f"{args.space} {label}", total=total)

        def tick(row: dict[str, Any]) -> None:
            done = row["unique_queries"] if budget else row["total_queries"]
            bar.update(task, completed=min(done, total))

        res = run(space, fitness, callback=tick, **kwargs)
    out = res.to_dict(args.top_k)
    out["fitness"] = getattr(fitness, "name", "fitness")
    out["mode"] = "surrogate" if args.surrogate else "generate"
    top = res.top_k(args.top_k)
    if test_fn is not None:
        out["best_arch_test"] = float(test_fn([res.best_arch])[0])
        out["top_k_test"] = [float(v) for v in test_fn([a for a, _ in top])]
    _summary(console, res, top, out)
    if args.output:
        Path(args.output).write_text(json.dumps(out, indent=2))
        console.print(f"result written to {args.output}")
    if args.plot:
        _plot(res, args.plot, console)
    return 0


def _summary(console: Console, res, top, out: dict[str, Any]) -> None:
    t = Table(title=f"EDNAG on {res.space.name} ({out['fitness']})")
    t.add_column("rank")
    t.add_column("architecture")
    t.add_column("fitness", justify="right")
    if "top_k_test" in out:
        t.add_column("test", justify="right")
    for i, (a, f) in enumerate(top):
        row = [str(i + 1), str(a), f"{f:.4f}"]
        if "top_k_test" in out:
            row.append(f"{out['top_k_test'][i]:.4f}")
        t.add_row(*row)
    console.print(t)
    line = f"best queried: {res.best_arch}  fitness {res.best_fitness:.4f}"
    if "best_arch_test" in out:
        line += f"  test {out['best_arch_test']:.4f}"
    console.print(line)
    console.print(
        f"unique queries {res.unique_queries}, total {res.total_queries}, "
        f"wall time {res.wall_time:.2f} s"
    )


def _plot(res, path: str, console: Console) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        console.print("[yellow]--plot needs matplotlib: pip install 'ednag-opt[bench]'[/yellow]")
        return
    xs = [r["unique_queries"] for r in res.history]
    ys = [r["best_fitness"] for r in res.history]
    fig, ax = plt.subplots(figsize=(5, 3.2))
    ax.step(xs, ys, where="post")
    ax.set_xlabel("unique queries")
    ax.set_ylabel("best fitness")
    ax.set_title(res.space.name)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    console.print(f"plot written to {path}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(1)  # populations are tiny: extra threads only add latency
    console = Console(stderr=False)
    if args.command == "spaces":
        for name in list_spaces():
            s = get_space(name)
            console.print(f"{name:16s} shape {s.shape}  {s.num_architectures:.4g} architectures")
        return 0
    return _generate(args, console)


if __name__ == "__main__":
    sys.exit(main())
