"""PriorSurrogate (meta-training on related tasks, conditioning, save/load) and the prior
helpers (prior_tables, prior_from_names, nb201_to_micro)."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from scipy.stats import spearmanr

from ednag_opt.fitness import FunctionFitness
from ednag_opt.fitness.predictors import PriorSurrogate, prior_from_names, prior_tables
from ednag_opt.fitness.predictors.prior_tasks import nb201_to_micro, resolve_prior
from ednag_opt.spaces import get_space

SPACE = get_space("nas-bench-201")
FAST = {"epochs": 40, "hidden": 32, "n_models": 2, "pairs": 256, "adapt_epochs": 60}






@pytest.fixture(scope="module")
def two_task_model(archs, additive):
    torch.set_num_threads(1)
    tasks = [(archs, additive(1)(archs)), (archs, additive(2)(archs))]
    return PriorSurrogate(SPACE, seed=0, **FAST).fit(tasks)


def test_prior_ranks_a_related_task(one_thread, archs, additive):
    f1, f2 = additive(1), additive(2)
    model = PriorSurrogate(SPACE, seed=0, **FAST).fit([(archs, f1(archs) + 0.1 * f2(archs))])
    test = SPACE.sample(300, generator=torch.Generator().manual_seed(9))
    assert spearmanr(model.predict(test), f1(test))[0] > 0.8
    assert spearmanr(model.predict(test), f2(test))[0] < 0.5


def test_conditioning_picks_the_task_the_queries_agree_with(
    one_thread, archs, two_task_model, additive
):
    few = archs[:12]
    for task, seed in ((0, 1), (1, 2)):
        adapted = two_task_model.adapt(few, additive(seed)(few), seed=0)
        assert adapted.weights.argmax() == task and adapted.weights[task] > 0.6
    before = two_task_model.adapt([], [], seed=0)  # no query: the prior, uniform weights
    np.testing.assert_allclose(before.weights, [0.5, 0.5])
    np.testing.assert_allclose(before.predict(few), two_task_model.predict(few), rtol=1e-5)


def test_blind_twin_has_one_head(one_thread, archs, additive):
    tasks = [(archs, additive(1)(archs)), (archs, additive(2)(archs))]
    blind = PriorSurrogate(SPACE, conditioned=False, seed=0, **FAST).fit(tasks)
    assert blind.predict_heads(archs[:5]).shape == (2, 1, 5)
    assert blind.adapt(archs[:8], additive(1)(archs[:8])).weights.shape == (1,)


def test_save_load_round_trip(tmp_path, archs, two_task_model, additive):
    path = two_task_model.save(tmp_path / "prior.pt")
    back = PriorSurrogate.load(path)
    np.testing.assert_array_equal(back.predict(archs[:50]), two_task_model.predict(archs[:50]))
    assert back.get_params() == two_task_model.get_params()
    a = back.adapt(archs[:9], additive(1)(archs[:9]), seed=3).predict(archs[:20])
    b = two_task_model.adapt(archs[:9], additive(1)(archs[:9]), seed=3).predict(archs[:20])
    np.testing.assert_array_equal(a, b)


def test_same_seed_same_model(one_thread, archs, additive):
    tasks = [(archs[:200], additive(1)(archs[:200]))]
    a, b = (PriorSurrogate(SPACE, seed=4, **FAST).fit(tasks).predict(archs[:30]) for _ in "ab")
    np.testing.assert_array_equal(a, b)


def test_bad_input_is_named(tmp_path, archs):
    with pytest.raises(RuntimeError, match="not fitted"):
        PriorSurrogate(SPACE).predict(archs[:2])
    with pytest.raises(ValueError, match="at least one prior task"):
        PriorSurrogate(SPACE).fit([])
    with pytest.raises(ValueError, match="task 0"):
        PriorSurrogate(SPACE).fit([(archs[:3], [1.0, 2.0])])
    with pytest.raises(ValueError, match="2 finite, different"):
        PriorSurrogate(SPACE).fit([(archs[:3], [1.0, 1.0, 1.0])])
    with pytest.raises(ValueError, match=">= 1"):
        PriorSurrogate(SPACE, epochs=0)
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a torch file")
    with pytest.raises(ValueError, match="bad.pt"):
        PriorSurrogate.load(bad)
    with pytest.raises(TypeError, match="prior item 0"):
        prior_tables([3.0], SPACE)
    with pytest.raises(ValueError, match="not fitted"):
        resolve_prior(PriorSurrogate(SPACE), SPACE, True)


def test_prior_tables_directions_and_samples(archs, additive):
    f = additive(1)
    src = FunctionFitness(lambda a: -f(a), maximize=False)  # minimised: flipped back
    (got_archs, got), (pair_archs, pair) = prior_tables(
        [src, (archs[:5], f(archs[:5]))], SPACE, maximize=False, samples=50
    )
    assert len(got_archs) == 50
    np.testing.assert_allclose(got, f(got_archs))
    np.testing.assert_allclose(pair, -f(pair_archs))  # a plain pair is in the search's direction


def test_prior_from_names_errors():
    with pytest.raises(ValueError, match="unknown task 'mnist'"):
        prior_from_names("cifar10,mnist", "nas-bench-201")
    with pytest.raises(ValueError, match="unknown task 'jigsaw'"):
        prior_from_names("jigsaw", "nas-bench-201")
    with pytest.raises(ValueError, match="comma-separated"):
        prior_from_names("cifar10,", "nas-bench-201")
    with pytest.raises(ValueError, match="searched task itself"):
        prior_from_names("cifar10,imagenet", "nas-bench-201", exclude="ImageNet16-120")
    with pytest.raises(ValueError, match="searched task itself"):
        prior_from_names("jigsaw,normal", "transnas-macro", exclude="normal")
    with pytest.raises(ValueError, match="named twice"):
        prior_from_names("cifar10,cifar10-valid", "nas-bench-201")


def test_names_and_nb201_to_micro(data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    data_file("transnas-bench-101/tnb101_micro_val_final.csv")
    (nb,) = prior_from_names("cifar100", "nas-bench-201")
    assert nb.metric == "val" and nb.dataset == "cifar100"
    (micro_archs, values), tnb = prior_from_names(["cifar10", "jigsaw"], "transnas-micro")
    assert len(micro_archs) == len({str(a) for a in micro_archs}) == 4096
    assert tnb.task == "jigsaw"
    # 64-41414-3_33_333 is the NB201 cell with conv3x3 on every edge
    i = [str(a) for a in micro_archs].index("64-41414-3_33_333")
    c = "nor_conv_3x3"
    cell = f"|{c}~0|+|{c}~0|{c}~1|+|{c}~0|{c}~1|{c}~2|"
    assert values[i] == pytest.approx(float(nb201_to_micro_source_value(cell)))


def nb201_to_micro_source_value(cell: str) -> float:
    from ednag_opt.fitness import NB201Fitness

    return float(NB201Fitness("cifar10", metric="val").query([cell])[0])


def test_nb201_to_micro_keeps_order_of_a_table(data_file):
    data_file("nasbench201/nb201_merged_200ep.csv")
    from ednag_opt.fitness import NB201Fitness

    archs, values = nb201_to_micro(NB201Fitness("cifar10", metric="val"))
    assert np.isfinite(values).all() and values.max() > 90
