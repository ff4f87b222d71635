import math

import pytest
import torch

from ednag_opt.strategy.ddim import ddim_sigma, ddim_step
from ednag_opt.strategy.schedules import cosine_schedule, get_schedule, linear_schedule


def test_linear_end_points():
    a = linear_schedule(100)
    assert a.shape == (100,)
    assert a[0].item() == pytest.approx(1 - 1e-4)
    assert a[-1].item() == pytest.approx(1e-4)
    assert torch.all(a[1:] < a[:-1])


def test_cosine_end_points_and_midpoint():
    a = cosine_schedule(101)
    assert a[0].item() == pytest.approx(1 - 1e-4)
    assert a[-1].item() == pytest.approx(1e-4)
    assert a[50].item() == pytest.approx(0.5)  # cos(pi/2) = 0 -> (0 + 1) / 2
    assert torch.all(a[1:] <= a[:-1])


def test_get_schedule_names_and_tensor():
    assert torch.equal(get_schedule("linear", 5), linear_schedule(5))
    custom = torch.tensor([0.9, 0.5, 0.1])
    assert torch.allclose(get_schedule(custom, 3), custom.double())
    with pytest.raises(ValueError, match="unknown schedule"):
        get_schedule("quadratic", 5)
    with pytest.raises(ValueError, match="shape"):
        get_schedule(custom, 4)
    with pytest.raises(ValueError, match="non-increasing"):
        get_schedule(torch.tensor([0.1, 0.5, 0.9]), 3)
    with pytest.raises(ValueError, match="inside"):
        get_schedule(torch.tensor([1.0, 0.5, 0.1]), 3)
    with pytest.raises(ValueError, match="num_steps"):
        linear_schedule(1)


def test_ddim_step_deterministic_by_hand():
    # x_t = 1, x0 = 0.5, a_t = 0.25, a_prev = 0.64, eta = 0:
    # eps = (1 - 0.5 * 0.5) / sqrt(0.75); x_prev = 0.8 * 0.5 + sqrt(1 - 0.64) * eps
    x_t, x0 = torch.tensor([1.0]), torch.tensor([0.5])
    out = ddim_step(x_t, x0, 0.25, 0.64, 0.0, torch.tensor([123.0]))
    expected = 0.4 + 0.6 * 0.75 / math.sqrt(0.75)
    assert out.item() == pytest.approx(expected, rel=1e-6)


def test_ddim_step_with_noise_by_hand():
    a_t, a_prev, eta = 0.25, 0.64, 0.8
    sigma = eta * math.sqrt((1 - a_prev) / (1 - a_t) * (1 - a_t / a_prev))
    assert ddim_sigma(a_t, a_prev, eta) == pytest.approx(sigma)
    eps = (1.0 - 0.5 * 0.5) / math.sqrt(0.75)
    expected = 0.8 * 0.5 + math.sqrt(1 - a_prev - sigma**2) * eps + sigma * 2.0
    out = ddim_step(torch.tensor([1.0]), torch.tensor([0.5]), a_t, a_prev, eta, torch.tensor([2.0]))
    assert out.item() == pytest.approx(expected, rel=1e-6)


def test_sigma_capped_so_direction_is_real():
    s = ddim_sigma(1e-4, 0.5, 10.0)
    assert s == pytest.approx(math.sqrt(0.5))
    assert ddim_sigma(0.5, 0.5, 0.8) == 0.0


def test_log_cosine_end_points_and_monotone():
    from ednag_opt.strategy.schedules import log_cosine_schedule

    a = log_cosine_schedule(50)
    assert (1 - a[-1]).item() == pytest.approx(1 - 1e-4)
    assert (1 - a[0]).item() == pytest.approx(10 ** (-50 / 16), rel=1e-4)
    assert (1 - log_cosine_schedule(400)[0]).item() == pytest.approx(1e-10, rel=1e-4)
    assert torch.all(a[1:] < a[:-1])
    assert torch.equal(get_schedule("log-cosine", 50), a)
