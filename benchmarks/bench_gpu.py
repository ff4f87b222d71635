"""CPU vs GPU: predictor inference, the strategy's generation step and whole generations.

One run times every item on each device of ``--devices`` (default: ``cpu`` and, when
available, ``cuda``) on the same machine, so the two columns are comparable. Timings are the
median of ``--repeats`` (after warm-up), with ``torch.cuda.synchronize()`` before each clock
read. Items:

* ``strategy``: one ``ask()`` + ``tell()`` of :class:`EvolutionaryDDIM` on a sphere computed
  on the same device, for several (popsize, dims);
* ``predict``: the OFA accuracy MLP on 100 / 10,000 / 100,000 feature rows (and on a list of
  100 architectures, encoding included); :class:`ArchSurrogate` fit on 200 NB201 cells and
  prediction of all 15,625; :class:`TransferablePredictor` task code (coreset encoding) and
  prediction of 30 and 15,625 cells;
* ``generate``: whole runs: OFA MobileNetV3 with the accuracy predictor (N 100, T 100),
  NB201 with the transferable predictor (N 30, T 100), rastrigin-1000 (N 1024, T 100).

Every item is wrapped so a failure is recorded (and printed) instead of ending the run.

Usage::

    python benchmarks/bench_gpu.py --out results/gpu.json            # measure
    python benchmarks/bench_gpu.py --render results/gpu.json         # -> docs/results_gpu.md
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _nas_common import update_section  # noqa: E402

from ednag_opt import generate  # noqa: E402
from ednag_opt.datasets import find_data_file  # noqa: E402
from ednag_opt.fitness.predictors import (  # noqa: E402
    ArchSurrogate,
    OFAAccuracyPredictor,
    TransferablePredictor,
)
from ednag_opt.problems.toy import get_problem  # noqa: E402
from ednag_opt.spaces import get_space  # noqa: E402
from ednag_opt.strategy import EvolutionaryDDIM  # noqa: E402

DOC = ROOT / "docs" / "results_gpu.md"
MODEL = ROOT / "src" / "ednag_opt" / "data" / "models" / "transferable_nb201_digits.pt"
TASK = "digits_mod3"
STRATEGY_SHAPES = [(30, 30), (100, 128), (256, 1000), (1024, 1000), (4096, 1000), (1024, 10000)]


def _sync(dev: str) -> None:
    if dev.startswith("cuda"):
        torch.cuda.synchronize()


def timeit(fn: Callable[[], Any], dev: str, repeats: int, warmup: int = 2) -> float:
    """Median seconds of ``fn()`` over ``repeats`` calls after ``warmup`` calls."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        _sync(dev)
        t0 = time.perf_counter()
        fn()
        _sync(dev)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bench_strategy(dev: str, repeats: int) -> dict[str, float]:
    out = {}
    for n, d in STRATEGY_SHAPES:
        es = EvolutionaryDDIM(num_dims=d, popsize=n, num_steps=10_000, seed=0, device=dev)

        def step(es: EvolutionaryDDIM = es) -> None:
            x = es.ask()
            es.tell((x * x).sum(dim=1))

        small = n * d <= 300_000
        out[f"ask+tell N={n} D={d}"] = timeit(step, dev, 20 if small else 3, 5 if small else 1)
    return out


def bench_predict(dev: str, repeats: int) -> dict[str, float]:
    out: dict[str, float] = {}
    ofa = OFAAccuracyPredictor(find_data_file("ofa/acc_predictor.pth"), device=dev)
    mb = get_space("mobilenetv3")
    archs = mb.sample(100, generator=torch.Generator().manual_seed(0))
    feats = ofa.features(archs)
    for n in (100, 10_000, 100_000):
        x = feats.repeat((n + 99) // 100, 1)[:n].to(dev)
        with torch.no_grad():
            out[f"OFA MLP forward, {n} rows"] = timeit(lambda x=x: ofa.predict(x), dev, repeats)
    out["OFA predictor call, 100 archs (encoding included)"] = timeit(
        lambda: ofa(archs), dev, repeats
    )
    nb = get_space("nas-bench-201")
    every = nb.enumerate()
    train = every[:: len(every) // 200][:200]
    y = [float(sum(a.ops)) for a in train]  # any target: only the time is measured
    out["ArchSurrogate fit, 200 cells"] = timeit(
        lambda: ArchSurrogate(nb, device=dev).fit(train, y), dev, max(1, repeats // 5), warmup=1
    )
    model = ArchSurrogate(nb, device=dev).fit(train, y)
    out["ArchSurrogate predict, 15,625 cells"] = timeit(lambda: model.predict(every), dev, repeats)
    tp = TransferablePredictor.load(MODEL, device=dev)
    subset = tp.coreset(TASK)  # K-means on CPU (scikit-learn), once per task
    out["Transferable coreset encoding (z_D)"] = timeit(
        lambda: tp.encode_subset(subset), dev, repeats
    )
    z = tp.task_code(TASK)
    out["Transferable predict, 30 cells"] = timeit(
        lambda: tp.predict_codes(every[:30], z), dev, repeats
    )
    out["Transferable predict, 15,625 cells"] = timeit(
        lambda: tp.predict_codes(every, z), dev, repeats
    )
    return out


def bench_generate(dev: str, repeats: int) -> tuple[dict[str, float], dict[str, str]]:
    out: dict[str, float] = {}
    best: dict[str, str] = {}
    ofa = OFAAccuracyPredictor(find_data_file("ofa/acc_predictor.pth"), device=dev)
    r = max(1, repeats // 5)

    def run_ofa() -> None:
        res = generate("mobilenetv3", ofa, popsize=100, num_steps=100, seed=0, device=dev)
        best["OFA"] = f"{res.best_arch} {res.best_fitness:.4f} ({res.unique_queries} queries)"

    out["OFA MobileNetV3, accuracy predictor, N=100 T=100"] = timeit(run_ofa, dev, r, 1)
    tp = TransferablePredictor.load(MODEL, device=dev)
    fit = tp.as_fitness(TASK)

    def run_tp() -> None:
        res = generate("nas-bench-201", fit, popsize=30, num_steps=100, seed=0, device=dev)
        best["NB201"] = f"{res.best_arch} {res.best_fitness:.4f} ({res.unique_queries} queries)"

    out["NB201, transferable predictor, N=30 T=100"] = timeit(run_tp, dev, r, 1)
    prob = get_problem("rastrigin", 1000)

    def run_ras() -> None:
        es = EvolutionaryDDIM(
            num_dims=1000, popsize=1024, num_steps=100, seed=0, maximize=False,
            bounds=prob.bounds, device=dev,
        )  # fmt: skip
        while not es.done:
            x = es.ask()
            es.tell(prob(x))
        best["rastrigin"] = f"{float(es.best_fitness):.2f}"

    out["rastrigin-1000, N=1024 T=100 (ask/tell loop)"] = timeit(run_ras, dev, 1, 1)
    return out, best


def measure(devices: list[str], repeats: int) -> dict[str, Any]:
    rec: dict[str, Any] = {
        "machine": {
            "cpu": platform.processor() or platform.machine(),
            "cpu_threads": torch.get_num_threads(),
            "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
            "date": time.strftime("%Y-%m-%d"),
        },
        "times": {},
        "best": {},
        "errors": [],
    }
    for dev in devices:
        for name, fn in (("strategy", bench_strategy), ("predict", bench_predict)):
            try:
                for k, v in fn(dev, repeats).items():
                    rec["times"].setdefault(f"{name}: {k}", {})[dev] = v
                    print(f"{dev:5s} {name}: {k}: {v * 1e3:.2f} ms", flush=True)
            except Exception:  # noqa: BLE001 - record and carry on
                rec["errors"].append(f"{dev} {name}: {traceback.format_exc()}")
                print(rec["errors"][-1], flush=True)
        try:
            times, best = bench_generate(dev, repeats)
            for k, v in times.items():
                rec["times"].setdefault(f"generate: {k}", {})[dev] = v
                print(f"{dev:5s} generate: {k}: {v:.3f} s", flush=True)
            rec["best"][dev] = best
        except Exception:  # noqa: BLE001
            rec["errors"].append(f"{dev} generate: {traceback.format_exc()}")
            print(rec["errors"][-1], flush=True)
    return rec


def _fmt(s: float | None) -> str:
    if s is None:
        return "-"
    return f"{s:.2f} s" if s >= 1 else f"{s * 1e3:.2f} ms"


def render(rec: dict[str, Any], command: str) -> str:
    m = rec["machine"]
    devs = sorted({d for v in rec["times"].values() for d in v}, key=lambda d: d != "cpu")
    lines = [
        f"Command: `{command}`. Machine: {m['gpu']}; CPU {m['cpu']} with "
        f"{m['cpu_threads']} torch threads; torch {m['torch']}; {m['date']}. Both columns on "
        "the same machine; medians after warm-up, CUDA synchronised before each clock read.",
        "",
        "| item | " + " | ".join(devs) + " | CPU / GPU |",
        "|---|" + "---|" * (len(devs) + 1),
    ]
    for item, v in rec["times"].items():
        ratio = "-"
        if "cpu" in v and len(v) > 1:
            other = [v[d] for d in devs if d != "cpu" and d in v][0]
            ratio = f"{v['cpu'] / other:.1f}×"
        lines.append(f"| {item} | " + " | ".join(_fmt(v.get(d)) for d in devs) + f" | {ratio} |")
    lines += ["", "Best found by the timed generations (seed 0), per device:", ""]
    for dev, best in rec["best"].items():
        lines += [f"- {dev}: " + "; ".join(f"{k}: {b}" for k, b in best.items())]
    if rec["errors"]:
        lines += ["", "Errors:", ""] + [f"```\n{e.strip()}\n```" for e in rec["errors"]]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devices", default=None, help="comma-separated (default cpu[,cuda])")
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "gpu.json")
    ap.add_argument("--render", type=Path, default=None, help="write DOC from this JSON")
    a = ap.parse_args()
    if a.render is not None:
        rec = json.loads(a.render.read_text())
        update_section(
            DOC, "MEASURED", render(rec, rec.get("command", "python benchmarks/bench_gpu.py"))
        )
        print(DOC.read_text())
        return
    devices = (
        a.devices.split(",")
        if a.devices
        else ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    )
    rec = measure(devices, a.repeats)
    rec["command"] = "python benchmarks/bench_gpu.py " + " ".join(sys.argv[1:])
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(json.dumps(rec, indent=1))
    print(render(rec, rec["command"]))


if __name__ == "__main__":
    main()
