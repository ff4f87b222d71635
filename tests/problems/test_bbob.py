import numpy as np
import pytest

cocoex = pytest.importorskip("cocoex")

from ednag_opt.problems.bbob import get_bbob_problem  # noqa: E402


@pytest.mark.parametrize("fid", [1, 10, 24])
def test_bbob_optimum_and_batch(fid):
    p = get_bbob_problem(fid, 5, 2)
    assert p.name == f"bbob_f{fid:03d}_i02_d05"
    assert p.error(p.x_opt[None])[0] == 0.0
    x = np.random.default_rng(0).uniform(-5, 5, (4, 5))
    assert p(x).shape == (4,) and np.all(p.error(x) > 0)
    assert float(p(x[0])) == p(x)[0]


def test_bbob_bad_input():
    with pytest.raises(ValueError, match="1..24"):
        get_bbob_problem(25, 5, 1)
    with pytest.raises(ValueError, match="dim"):
        get_bbob_problem(1, 7, 1)
