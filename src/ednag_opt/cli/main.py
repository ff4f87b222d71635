"""``ednag-opt``: search a NAS space from the command line.

```
ednag-opt generate --space nas-bench-201 --dataset cifar10 --seed 0 --output result.json
ednag-opt generate --space transnas-micro --task class_scene --searcher rea --max-queries 200
ednag-opt generate --space nas-bench-201 --dataset ImageNet16-120 --surrogate --max-queries 150
ednag-opt generate --space mobilenetv3 --max-latency-ms 25 --max-queries 1000
ednag-opt generate --space darts --fitness my_module:score --maximize --max-queries 100
ednag-opt spaces
```
Every error is one line on stderr and exit code 2, found before the search starts.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from .. import __version__
from ..search import PRESETS, SEARCHERS, search
from ..search.api import CONSTRAINT_MODES
from ..search.sweep import SWEEP_MODELS
from ..spaces import get_space, list_spaces
from .sources import CLIError, build_fitness, check_budget, check_positive

__all__ = ["main", "build_parser"]

SURROGATE_BUDGET = 200


def build_parser() -> argparse.ArgumentParser:
    from ..fitness.nb201_encoding import NB201_DATASETS
    from ..fitness.transnas import TNB_TASKS

    fmt = argparse.ArgumentDefaultsHelpFormatter
    p = argparse.ArgumentParser(prog="ednag-opt", description=__doc__.split("\n")[0],
                                formatter_class=fmt)  # fmt: skip
    p.add_argument("--version", action="version", version=f"ednag-opt {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="search a space", formatter_class=fmt)
    g.add_argument("--space", required=True, help=f"one of {', '.join(list_spaces())}")
    g.add_argument("--searcher", default="ednag", choices=sorted(SEARCHERS))
    g.add_argument("--surrogate", action="store_true",
                   help=f"same as --searcher surrogate (budget {SURROGATE_BUDGET} by default)")
    g.add_argument("--dataset", default=None,
                   help=f"NAS-Bench-201 dataset: {', '.join(NB201_DATASETS)} (default cifar10)")
    g.add_argument("--task", default=None,
                   help=f"TransNAS task: {', '.join(TNB_TASKS)} (default class_scene)")
    g.add_argument("--metric", default=None,
                   help="searched table column (default: NB201 'val', TransNAS 'valid')")
    g.add_argument("--table", default=None, help="benchmark table (CSV or official file)")
    g.add_argument("--test-table", default=None, help="NB201 table with test accuracy")
    g.add_argument("--max-latency-ms", type=float, default=None,
                   help="MobileNetV3: Note10 latency budget (OFA predictor under it)")
    g.add_argument("--constraints", default=None, choices=CONSTRAINT_MODES,
                   help="with --max-latency-ms: staged (default: one constraint-mode run, then "
                        "the penalised scalar), split (constraint mode throughout), penalty")
    g.add_argument("--objectives", default=None,
                   help="multi-objective: comma-separated, e.g. val,edgegpu_latency "
                   "(NB201: table and HW-NAS-Bench columns; MobileNetV3: acc,note10_latency)")
    g.add_argument("--twins", default=None,
                   help="with --objectives: share of the budget spent last on unqueried twins "
                        "of the non-dominated networks (NAS-Bench-201, TransNAS micro; e.g. "
                        "0.1), or auto (with --cheap: chosen from the cost's table)")
    g.add_argument("--cheap", default=None,
                   help="with --objectives: objectives that are lookups (read for every "
                        "candidate, e.g. edgegpu_latency); with --twins auto, networks first")
    g.add_argument("--sweep", default=None,
                   help="with --cheap and --twins: share of the budget spent, before the twins, "
                        "on the unqueried networks predicted best at their exact cost (e.g. "
                        "0.2), or auto (the default with --twins auto)")
    g.add_argument("--sweep-model", default=None, choices=SWEEP_MODELS,
                   help="the sweep's model: gp (default; expected improvement on the "
                        "features and the cheap cost), gp-arch (the features alone) or ridge")
    g.add_argument("--sweep-stop", type=float, default=None,
                   help="the sweep ends once its next 20 networks are expected to bring fewer "
                        "than this many beyond the found front (default 0.5; 0: never)")
    g.add_argument("--prior", default=None,
                   help="few-shot surrogate mode meta-trained on related tasks, e.g. "
                   "cifar10,ImageNet16-120 (never the searched one)")
    g.add_argument("--fitness", default=None,
                   help="your own fitness: module:function of a list of architectures")
    d = g.add_mutually_exclusive_group()
    d.add_argument("--maximize", dest="direction", action="store_const", const=True,
                   default=None, help="--fitness is to be maximised")
    d.add_argument("--minimize", dest="direction", action="store_const", const=False,
                   help="--fitness is to be minimised")
    g.add_argument("--seed", type=int, default=0)
    g.add_argument("--preset", default=None, choices=sorted(PRESETS),
                   help="EDNAG configuration (default: 'default')")
    g.add_argument("--popsize", type=int, default=None, help="EDNAG population size (>= 2)")
    g.add_argument("--num-steps", type=int, default=None, help="EDNAG diffusion steps (>= 2)")
    g.add_argument("--max-queries", type=int, default=None, help="unique-query budget")
    g.add_argument("--target", type=float, default=None, help="stop once this is reached")
    g.add_argument("--top-k", type=int, default=5, help="rows of the ranking (>= 1)")
    g.add_argument("--output", default=None, help="write the result as JSON here")
    g.add_argument("--plot", default=None, help="save the best-so-far curve (PNG)")
    g.add_argument("--checkpoint", default=None,
                   help="save progress here; rerun the same command to resume")
    g.add_argument("--log", default=None, help="append each history row as a JSON line")
    g.add_argument("--workers", type=int, default=None, help="evaluate batches in parallel")
    g.add_argument("--backend", default="process", choices=("process", "ray"),
                   help="parallel backend with --workers")
    g.add_argument("--ray-address", default=None, help="join this Ray cluster ('auto')")
    g.add_argument("--quiet", action="store_true", help="no progress bar")
    sub.add_parser("spaces", help="list the search spaces")
    return p


def _prepare(args: argparse.Namespace) -> tuple[Any, Any, Any, dict[str, Any]]:
    """Check everything a run needs; return (space, fitness, test reporter, search kwargs)."""
    if args.prior is not None and args.searcher not in ("ednag", "surrogate"):
        raise CLIError(f"--prior applies to surrogate mode, not to --searcher {args.searcher}")
    if args.surrogate or args.prior is not None:  # --prior: few-shot surrogate mode
        if args.searcher not in ("ednag", "surrogate"):
            raise CLIError("--surrogate contradicts --searcher " + args.searcher)
        args.searcher = "surrogate"
    check_positive("--popsize", args.popsize, 2)
    check_positive("--num-steps", args.num_steps, 2)
    check_positive("--max-queries", args.max_queries, 1)
    check_positive("--top-k", args.top_k, 1)
    check_positive("--workers", args.workers, 1)
    check_budget(args.max_latency_ms)
    if args.constraints is not None and (args.max_latency_ms is None or args.searcher != "ednag"):
        raise CLIError("--constraints applies to an EDNAG search with --max-latency-ms")
    if args.target is not None and not math.isfinite(args.target):
        raise CLIError(f"--target must be finite, got {args.target}")
    ednag_only = {"--preset": args.preset, "--popsize": args.popsize,
                  "--num-steps": args.num_steps}  # fmt: skip
    if args.searcher not in ("ednag", "surrogate"):
        bad = [k for k, v in ednag_only.items() if v is not None]
        if bad:
            raise CLIError(f"{', '.join(bad)} apply to EDNAG, not to --searcher {args.searcher}")
    if args.ray_address and args.backend != "ray":
        raise CLIError("--ray-address needs --backend ray")
    for flag in ("output", "plot", "log", "checkpoint"):
        _check_writable(f"--{flag}", getattr(args, flag))
    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            raise CLIError("--plot needs matplotlib: pip install 'ednag-opt[bench]'") from None
    try:
        space = get_space(args.space)
        if space.name == "mobilenetv3" and args.max_latency_ms is not None:
            from ..fitness.predictors.ofa_latency import NOTE10_RESOLUTIONS

            space = get_space(args.space, resolutions=NOTE10_RESOLUTIONS)  # timed ones only
    except ValueError as exc:
        raise CLIError(str(exc)) from None
    fitness, test = build_fitness(args, space)
    options = _extra_options(args, space)
    if args.objectives:
        fitness, test = _objectives(args, space), None
    if args.workers:
        from ..fitness import ParallelFitness

        fitness = ParallelFitness(fitness, num_workers=args.workers, backend=args.backend,
                                  address=args.ray_address)  # fmt: skip
    kwargs: dict[str, Any] = dict(seed=args.seed, max_queries=args.max_queries,
                                  target=args.target, checkpoint=args.checkpoint, log=args.log)
    if args.searcher == "surrogate" and args.max_queries is None:
        kwargs["max_queries"] = SURROGATE_BUDGET
    elif SEARCHERS[args.searcher].needs_budget and args.max_queries is None:
        raise CLIError(f"--searcher {args.searcher} needs --max-queries")
    for flag in ("twins", "cheap", "sweep", "sweep_model", "sweep_stop"):
        if getattr(args, flag) is not None and not args.objectives:
            raise CLIError(f"--{flag.replace('_', '-')} applies to a search with --objectives")
    if args.cheap is not None:
        kwargs["cheap"] = _cheap(args.cheap, args.objectives)
    for flag in ("twins", "sweep"):
        if getattr(args, flag) is not None:
            kwargs[flag] = _share(flag, getattr(args, flag))
    for key in ("preset", "popsize", "num_steps", "constraints", "sweep_model", "sweep_stop"):
        if getattr(args, key) is not None:
            kwargs[key] = getattr(args, key)
    return space, fitness, test, {**kwargs, **options}


def _extra_options(args: argparse.Namespace, space: Any) -> dict[str, Any]:
    """``--prior`` (surrogate mode) checked before any work."""
    if args.prior is None:
        return {}
    from ..fitness.predictors.prior_tasks import prior_from_names

    held = None  # the searched dataset or task: never part of its own prior
    if space.name == "nas-bench-201":
        held = args.dataset or "cifar10"
    elif space.name.startswith("transnas"):
        held = args.task or "class_scene"
    return {"prior": prior_from_names(args.prior, space, exclude=held)}  # no leakage


def _share(flag: str, value: str) -> float | str:
    """``--twins`` and ``--sweep``: a share of the budget, or ``auto``."""
    if value == "auto":
        return value
    try:
        return float(value)
    except ValueError:
        raise CLIError(f"--{flag} takes a share in [0, 1) or 'auto', got {value!r}") from None


def _cheap(cheap: str, objectives: str) -> list[int]:
    """``--cheap``: positions in ``--objectives`` of the named objectives."""
    names = [n.strip() for n in objectives.split(",") if n.strip()]
    wanted = [n.strip() for n in cheap.split(",") if n.strip()]
    unknown = [n for n in wanted if n not in names]
    if unknown or not wanted:
        raise CLIError(f"--cheap names objectives of --objectives ({','.join(names)}), "
                       f"got {cheap!r}")  # fmt: skip
    return [names.index(n) for n in wanted]


def _objectives(args: argparse.Namespace, space: Any) -> list[Any]:
    """``--objectives``: the fitness sources, one per objective (EDNAG only)."""
    if args.searcher != "ednag":
        raise CLIError("--objectives works with --searcher ednag")
    if args.fitness or args.metric or args.max_latency_ms is not None:
        raise CLIError("--objectives replaces --fitness, --metric and --max-latency-ms")
    from ..search.multiobjective import objectives_from_names

    return objectives_from_names(space, args.dataset, args.objectives.split(","))


def _check_writable(flag: str, path: str | None) -> None:
    if path is None:
        return
    p = Path(path)
    if p.is_dir():
        raise CLIError(f"{flag} {path} is a directory; give a file name")
    parent = p.parent if str(p.parent) else Path(".")
    if not parent.exists():
        try:
            parent.mkdir(parents=True)
        except OSError as exc:
            raise CLIError(f"{flag}: cannot create folder {parent}: {exc}") from None
    elif not parent.is_dir():
        raise CLIError(f"{flag}: {parent} is not a folder")


def _generate(args: argparse.Namespace, console: Console) -> int:
    space, fitness, test_fn, kwargs = _prepare(args)
    try:
        res = search(args.searcher, space, fitness, progress=not args.quiet, **kwargs)
    except BaseException as exc:  # keep what was computed: the partial result, then re-raise
        partial = getattr(exc, "partial_result", None)
        if partial is not None and args.output:
            from .._io import atomic_write

            atomic_write(args.output, json.dumps(partial.to_dict(args.top_k), indent=1))
            print(f"ednag-opt: partial result ({partial.unique_queries} queries) written to "
                  f"{args.output}", file=sys.stderr)  # fmt: skip
        raise
    finally:
        if hasattr(fitness, "close"):  # worker pools of --workers
            fitness.close()
    out = res.to_dict(args.top_k)
    out["mode"] = args.searcher
    if res.objectives is not None:  # multi-objective: the front is the result
        _front_summary(console, res)
        if args.output:
            from .._io import atomic_write

            atomic_write(args.output, json.dumps(out, indent=1))
        if args.plot:
            from ..search.multiobjective import plot_front

            plot_front(res, args.plot)
        return 0
    top = res.top_k(args.top_k)
    if test_fn is not None and res.best_arch is not None:
        out["best_arch_test"] = float(test_fn([res.best_arch])[0])
        out["top_k_test"] = [float(v) for v in test_fn([a for a, _ in top])]
    _summary(console, res, top, out)
    if args.output:
        from .._io import atomic_write

        atomic_write(args.output, json.dumps(out, indent=1))
        console.print(f"result written to {args.output}")
    if args.plot:
        _plot(res, args.plot, console)
    return 0


def _front_summary(console: Console, res) -> None:
    names = [o["name"] for o in res.metadata["objectives"]]
    t = Table(title=f"Pareto front over {res.unique_queries} queries")
    t.add_column("architecture")
    for n in names:
        t.add_column(n, justify="right")
    for a, v in res.pareto_front():
        t.add_row(str(a), *(f"{x:.4g}" for x in v))
    console.print(t)


def _summary(console: Console, res, top, out: dict[str, Any]) -> None:
    meta = res.metadata
    t = Table(title=f"{meta['searcher']} on {meta['space']} ({meta['fitness']}): best queried")
    for col in ("rank", "architecture", "fitness") + (("test",) if "top_k_test" in out else ()):
        t.add_column(col, justify="right" if col in ("fitness", "test") else "left")
    for i, (a, f) in enumerate(top):
        row = [str(i + 1), str(a), f"{f:.4f}"]
        if "top_k_test" in out:
            row.append(f"{out['top_k_test'][i]:.4f}")
        t.add_row(*row)
    console.print(t)
    if res.best_arch is None:
        console.print("no query returned a finite value")
    console.print(
        f"unique queries {res.unique_queries}, total {res.total_queries}, wall time "
        f"{res.wall_time:.2f} s, stopped: {meta['stop_reason']}"
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
    ax.set_title(res.metadata["space"])
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    console.print(f"plot written to {path}")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    console = Console(stderr=False)
    if args.command == "spaces":
        for name in list_spaces():
            s = get_space(name)
            console.print(f"{name:16s} shape {s.shape}  {s.num_architectures:.4g} architectures")
        return 0
    try:
        return _generate(args, console)
    except KeyboardInterrupt:
        where = ""
        if args.checkpoint:
            where = f"; rerun the same command to resume from {args.checkpoint}"
        print(f"ednag-opt: interrupted{where}", file=sys.stderr)
        return 130
    except (CLIError, ValueError, TypeError, FileNotFoundError, ImportError, KeyError) as exc:
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"ednag-opt: error: {msg}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
