"""Tests of the transferable (dataset-aware) predictor and its parts."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from ednag_opt.fitness.base import FitnessSource
from ednag_opt.fitness.predictors.coreset import (
    FixedFeatureExtractor,
    kmeans_coreset,
    random_subset,
)
from ednag_opt.fitness.predictors.graph_encoder import (
    NB201_NODE_TYPES,
    GraphEncoder,
    batch_graphs,
    nb201_graph,
    node_dag_graph,
)
from ednag_opt.fitness.predictors.set_encoder import SetEncoder
from ednag_opt.fitness.predictors.transferable import TransferablePredictor
from ednag_opt.spaces import get_space

TASKS = ("digits_1v7", "digits_4v9")


def _target(arch, task: str) -> float:
    ops = np.asarray(arch.ops)
    bonus = 0.03 if task == TASKS[0] else -0.03
    return 0.5 + 0.05 * (ops == 3).sum() - 0.04 * (ops == 0).sum() + bonus * (ops[5] == 2)


@pytest.fixture(scope="module")
def archs():
    return get_space("nas-bench-201").sample(60, torch.Generator().manual_seed(1))


@pytest.fixture(scope="module")
def fitted(archs):
    triples = [(t, str(a), _target(a, t)) for t in TASKS for a in archs[:48]]
    pred = TransferablePredictor(
        per_class=5, n_init=1, augment_coresets=2, hidden=16, z_dim=8, epochs=120, lr=5e-3
    )
    return pred.fit(triples, tasks=TASKS)


def test_coreset_deterministic_and_sized():
    rng = np.random.default_rng(0)
    feats = rng.normal(size=(70, 6)).astype(np.float32)
    labels = np.repeat([0, 1, 2], [30, 36, 4])
    a = kmeans_coreset(feats, labels, per_class=8, seed=3, n_init=2)
    b = kmeans_coreset(feats, labels, per_class=8, seed=3, n_init=2)
    assert [list(i) for i in a.indices] == [list(i) for i in b.indices]
    assert a.sizes == [8, 8, 4]  # the 4-sample class is kept whole
    assert a.features.shape == (3, 8, 6) and a.mask.sum(1).tolist() == [8, 8, 4]
    for c, idx in enumerate(a.indices):
        assert (labels[idx] == c).all() and len(set(idx.tolist())) == len(idx)
        assert torch.equal(a.features[c, : len(idx)], torch.from_numpy(feats[idx]))
    other = kmeans_coreset(feats, labels, per_class=8, seed=4, n_init=2)
    assert any(set(x) != set(y) for x, y in zip(a.indices, other.indices))
    r = random_subset(feats, labels, 8, np.random.default_rng(0))
    assert r.sizes == [8, 8, 4]


def test_feature_extractor_fixed():
    x = torch.randn(5, 1, 8, 8)
    f1, f2 = FixedFeatureExtractor(32, seed=0)(x), FixedFeatureExtractor(32, seed=0)(x)
    assert f1.shape == (5, 32) and torch.equal(f1, f2)
    assert FixedFeatureExtractor(32)(torch.randn(3, 1, 14, 14)).shape == (3, 32)


def test_set_encoder_permutation_invariant():
    torch.manual_seed(0)
    enc = SetEncoder(6, dim=16, out_dim=8, heads=4).eval()
    x = torch.randn(3, 7, 6)
    mask = torch.ones(3, 7, dtype=torch.bool)
    mask[2, 5:] = False
    with torch.no_grad():
        z = enc(x, mask)
        perm = torch.stack([torch.randperm(5 if c == 2 else 7) for c in range(3)][:2])
        xs = x.clone()
        xs[0], xs[1] = x[0, perm[0]], x[1, perm[1]]
        xs[2, :5] = x[2, torch.randperm(5)]
        xs[2, 5:] = 99.0  # padding content must not matter
        order = torch.tensor([2, 0, 1])
        z2 = enc(xs[order], mask[order])
    assert z.shape == (8,)
    torch.testing.assert_close(z, z2, atol=1e-5, rtol=1e-5)


def test_graph_encoder_shapes():
    g = nb201_graph("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
    assert g.num_nodes == 8 and g.adj.sum() == 0
    g = nb201_graph("|nor_conv_3x3~0|+|skip_connect~0|none~1|+|none~0|none~1|avg_pool_3x3~2|")
    assert g.adj[0, 1] == 1 and g.adj[0, 2] == 1 and g.adj[2, 6] == 1 and g.adj[6, 7] == 1
    assert g.adj[1, 3] == 0  # edge into a zero op carries nothing
    other = node_dag_graph(np.triu(np.ones((5, 5)), 1), [0, 2, 3, 2, 1])
    adj, types, mask = batch_graphs([g, other])
    assert adj.shape == (2, 8, 8) and types.shape == (2, 8) and mask.sum().item() == 13
    assert mask[1, -1] and types[1, -1] == 1  # the output node stays last
    enc = GraphEncoder(len(NB201_NODE_TYPES), dim=16, out_dim=8, layers=4)
    assert enc(adj, types, mask).shape == (2, 8)


def test_fit_reduces_loss_and_ranks(fitted, archs):
    h = fitted.history_
    assert len(h) == 120 and np.mean(h[-10:]) < 0.5 * np.mean(h[:10])
    for t in TASKS:  # unseen architectures of the training tasks
        test = archs[48:]
        rho = spearmanr(fitted.predict(test, t), [_target(a, t) for a in test])[0]
        assert rho > 0.7


def test_save_load_identical(fitted, archs, tmp_path):
    path = fitted.save(tmp_path / "m.pt")
    again = TransferablePredictor.load(path)
    assert again.tasks_ == list(TASKS) and again.params == fitted.params
    np.testing.assert_array_equal(fitted.predict(archs, TASKS[0]), again.predict(archs, TASKS[0]))


def test_as_fitness_batch_and_direction(fitted, archs):
    fit = fitted.as_fitness(TASKS[1])
    assert isinstance(fit, FitnessSource) and fit.maximize
    out = fit(archs[:7])
    assert out.shape == (7,) and out.dtype == torch.float64
    space = get_space("nas-bench-201")
    good = space.from_str(
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"
    )
    bad = space.from_str("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|")
    v = fit([good, bad])
    assert v[0] > v[1]  # higher predicted accuracy for the synthetic optimum
    torch.testing.assert_close(fit(space.encode([good, bad])), v)  # (P, 6, 5) input


def test_task_code_cached(fitted, archs):
    enc = fitted.net.set_encoder
    fitted._codes.clear()
    before = enc.calls
    fit = fitted.as_fitness(TASKS[0])
    for _ in range(3):
        fit(archs[:5])
        fitted.predict(archs[:5], TASKS[0])
    assert enc.calls == before + 1


def test_refit_restarts_from_seed(archs):
    triples = [(t, str(a), _target(a, t)) for t in TASKS for a in archs[:10]]
    pred = TransferablePredictor(per_class=3, n_init=1, hidden=8, z_dim=4, epochs=5)
    first = pred.fit(triples, tasks=TASKS).predict(archs[10:], TASKS[0])
    np.testing.assert_array_equal(
        pred.fit(triples, tasks=TASKS).predict(archs[10:], TASKS[0]), first
    )


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_cuda_matches_cpu(fitted, archs, tmp_path):
    gpu = TransferablePredictor.load(fitted.save(tmp_path / "m.pt"), device="cuda")
    assert next(gpu.net.parameters()).is_cuda
    out = gpu.as_fitness(TASKS[0])(archs)
    assert out.device.type == "cpu"
    torch.testing.assert_close(out, fitted.as_fitness(TASKS[0])(archs), rtol=0, atol=1e-4)
