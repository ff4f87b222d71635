"""Short real training runs: sane accuracy, determinism, evaluator interface."""

from __future__ import annotations

import torch

from ednag_opt.fitness.base import FitnessSource
from ednag_opt.fitness.training import TrainingFitness, decode_nb201
from ednag_opt.training import TrainConfig, nb201_string, train_architecture

CONV = nb201_string([3, 3, 1, 3, 0, 1])
NONE = nb201_string([0] * 6)


def test_conv_cell_learns_digits_and_none_is_chance() -> None:
    torch.set_num_threads(1)
    res = train_architecture(CONV, "digits_all", TrainConfig(epochs=2))
    assert res.val_accuracy > 0.8 and res.test_accuracy > 0.8
    assert res.arch == CONV and res.task == "digits_all" and res.params > 0
    none = train_architecture(NONE, "digits_all", TrainConfig(epochs=1, min_steps=5))
    assert none.val_accuracy < 0.2


def test_training_fitness_deterministic_cached_and_typed() -> None:
    torch.set_num_threads(1)
    f = TrainingFitness("digits_1v7", epochs=1, min_steps=8, seed=3)
    assert isinstance(f, FitnessSource) and f.maximize
    out = f([CONV, NONE, CONV])
    assert out.dtype == torch.float64 and out.shape == (3,)
    assert out[0] == out[2] and f.n_evaluated == 2
    assert 0.0 <= f.test_accuracy(CONV) <= 1.0
    g = TrainingFitness("digits_1v7", epochs=1, min_steps=8, seed=3)
    assert g([CONV]).item() == out[0].item()  # same arch + seed -> same number
    assert f.result(CONV).test_accuracy == g.result(CONV).test_accuracy
    params = f.query([CONV, NONE], "params")
    assert params[0] > params[1]
    assert f.query([CONV], "macs").item() > 0


def test_decode_nb201() -> None:
    x = torch.zeros(2, 6, 5)
    x[0, :, 3] = 1.0
    x[1, :, 0] = 1.0
    assert decode_nb201(x) == [nb201_string([3] * 6), NONE]
    assert decode_nb201(torch.tensor([[1, 2, 3, 4, 0, 1]])) == [nb201_string([1, 2, 3, 4, 0, 1])]


def test_darts_genotype_trains() -> None:
    torch.set_num_threads(1)
    geno = [[(0, 3), (1, 2), (0, 5), (2, 0), (1, 1), (3, 3), (4, 2), (0, 6)]] * 2
    f = TrainingFitness("digits_1v7", epochs=1, min_steps=3, C=4, layers=3)
    assert 0.0 <= f([str(geno)]).item() <= 1.0


def test_n_trained_counts_every_training_path():
    from ednag_opt.fitness.training import TrainingFitness

    tf = TrainingFitness("digits_parity", epochs=1, min_steps=5)
    cell = "|skip_connect~0|+|skip_connect~0|none~1|+|none~0|none~1|skip_connect~2|"
    tf.test_accuracy(cell)
    assert tf.n_trained == 1 and tf.n_evaluated == 0
    tf([cell])
    assert tf.n_trained == 1 and tf.n_evaluated == 1
