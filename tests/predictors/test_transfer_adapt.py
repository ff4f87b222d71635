"""Adaptation options of PriorSurrogate: RGPE-style task weights and a residual penalty that
shrinks with the number of queries (transfer_adapt)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from ednag_opt.fitness.predictors import PriorSurrogate
from ednag_opt.fitness.predictors.transfer_adapt import rgpe_weights
from ednag_opt.spaces import get_space

SPACE = get_space("nas-bench-201")
FAST = {"epochs": 40, "hidden": 32, "n_models": 2, "pairs": 256, "adapt_epochs": 40}






def test_rgpe_weights_favour_the_head_that_orders_the_queries():
    y = torch.arange(8.0)
    good, bad = y.clone(), -y  # head 0 orders the queries right, head 1 backwards
    z = torch.stack([good, bad])[None].repeat(3, 1, 1)  # (M=3, K=2, n=8)
    w = rgpe_weights(z, y, seed=0)
    assert w.shape == (2,) and float(w.sum()) == pytest.approx(1.0)
    assert w[0] > 0.9
    tie = rgpe_weights(torch.stack([good, good])[None], y, seed=0)
    np.testing.assert_allclose(tie.numpy(), [0.5, 0.5])
    np.testing.assert_array_equal(rgpe_weights(z, y, seed=1), rgpe_weights(z, y, seed=1))


def test_rgpe_adapt_picks_the_agreeing_task_and_keeps_the_weights_fixed(
    one_thread, archs, additive
):
    tasks = [(archs, additive(1)(archs)), (archs, additive(2)(archs))]
    model = PriorSurrogate(SPACE, seed=0, task_weights="rgpe", **FAST).fit(tasks)
    few = archs[:12]
    for task, seed in ((0, 1), (1, 2)):
        adapted = model.adapt(few, additive(seed)(few), seed=0)
        assert adapted.weights.argmax() == task and adapted.weights[task] > 0.6
    assert model.get_params()["task_weights"] == "rgpe"


def test_residual_n0_lets_the_residual_learn_more_with_many_queries(one_thread, archs, additive):
    prior = [(archs, additive(1)(archs))]
    f = additive(5)  # unrelated to the prior task
    many = archs[:120]
    gaps = []
    for n0 in (None, 4.0):
        model = PriorSurrogate(SPACE, seed=0, residual_n0=n0, residual_decay=3.0, **FAST)
        adapted = model.fit(prior).adapt(many, f(many), seed=0)
        r = adapted.residual(model._x(many))[:, :, 0].detach()
        gaps.append(float(r.abs().mean()))
    assert gaps[1] > 1.2 * gaps[0]  # penalty 3.0 * 4 / 120 instead of 3.0


def test_bad_adapt_options_are_named():
    with pytest.raises(ValueError, match="task_weights"):
        PriorSurrogate(SPACE, task_weights="mean")
    with pytest.raises(ValueError, match="residual_n0"):
        PriorSurrogate(SPACE, residual_n0=0)
