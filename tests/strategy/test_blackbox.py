"""The restart schedules of ``strategy.blackbox.minimize`` (IPOP and BIPOP)."""

import math

import pytest
import torch

from ednag_opt.strategy import blackbox
from ednag_opt.strategy.blackbox import minimize


def rastrigin(x: torch.Tensor) -> torch.Tensor:
    return (x * x - 10.0 * torch.cos(2.0 * math.pi * x)).sum(1) + 10.0 * x.shape[1]


def _runs(monkeypatch: pytest.MonkeyPatch, restarts: object) -> list[tuple[int, float, int]]:
    """(population, initial scale, evaluations) of each run of a 2-d rastrigin search (with
    the short stall rule for every run, so that several large runs fit in the budget; every
    run a diffusion, ``large="ddim"``)."""
    seen: list[tuple[int, float, int]] = []
    inner = blackbox._run

    def spy(es, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        spent = inner(es, *args, **kwargs)
        seen.append((es.popsize, es.init_scale, spent))
        return spent

    monkeypatch.setattr(blackbox, "_run", spy)
    res = minimize(rastrigin, 2, 3000, seed=2, restarts=restarts, stall="local", large="ddim")
    assert res.evaluations <= 3000 and res.restarts == len(seen) - 1
    return seen


def test_ipop_doubles_the_population(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _runs(monkeypatch, "ipop")
    assert len(runs) >= 3
    assert [p for p, _, _ in runs] == [runs[0][0] * 2**k for k in range(len(runs))]
    assert all(s == 1.0 for _, s, _ in runs)


def test_bipop_interleaves_short_local_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    runs = _runs(monkeypatch, "bipop")
    large = [r for r in runs if r[1] == 1.0]
    small = [r for r in runs if r[1] < 1.0]
    assert small and len(large) >= 2  # both regimes ran
    assert [p for p, _, _ in large] == [runs[0][0] * 2**k for k in range(len(large))]
    p0 = runs[0][0]
    for pop, scale, _ in small:  # population in [p0 / 2, p_large / 2], scale in (0.01, 1)
        assert p0 // 2 <= pop <= max(p for p, _, _ in large) and 0.01 < scale < 1.0
    # a small run follows a large one only while small runs have spent less in all
    spent_large = spent_small = 0
    for (_, scale, spent), nxt in zip(runs, runs[1:], strict=False):
        spent_small += spent if scale < 1.0 else 0
        spent_large += spent if scale == 1.0 else 0
        assert (nxt[1] < 1.0) == (spent_small < spent_large)


def test_restarts_is_validated() -> None:
    with pytest.raises(ValueError, match="restarts"):
        minimize(rastrigin, 2, 100, restarts="cmaes")


def test_history_spread_is_the_populations_mean_std() -> None:
    """The spread figure (numpy's reduction on the CPU) equals torch's up to rounding."""
    from ednag_opt import EvolutionaryDDIM

    for dtype in (torch.float32, torch.float64):
        es = EvolutionaryDDIM((7, 3), popsize=12, num_steps=4, seed=1, dtype=dtype)
        for _ in range(3):
            es.tell((es.ask() ** 2).sum((1, 2)))
            ref = float(es.state.latent.reshape(12, -1).std(dim=0).mean())
            assert math.isclose(es.history[-1]["spread"], ref, rel_tol=1e-6)


def test_tell_folds_a_pending_latent_changed_after_ask() -> None:
    """``ask`` keeps its fold for ``tell``; a latent replaced in between is folded anew."""
    from ednag_opt import EvolutionaryDDIM
    from ednag_opt.strategy.bounds import fold

    es = EvolutionaryDDIM((5,), popsize=8, num_steps=3, seed=0, bounds=(-1.0, 1.0))
    es.ask()
    es.state.pending = es.state.pending + 7.0  # as minimize moves the first population
    moved = es.state.pending.clone()
    es.tell(torch.arange(8.0))
    assert torch.equal(es.state.latent, fold(moved))
    x = es.ask()
    es.tell(torch.arange(8.0))
    assert bool((es.state.latent.abs() <= 1.0).all())
    assert torch.equal(es.to_problem(es.state.latent), es.population)
    assert x.shape == (8, 5)


def test_stall_is_validated() -> None:
    with pytest.raises(ValueError, match="stall"):
        minimize(rastrigin, 2, 100, stall="never")


@pytest.mark.parametrize("stall", ["regime", "local"])
def test_stall_patience_per_regime(monkeypatch: pytest.MonkeyPatch, stall: str) -> None:
    """Large-regime runs (first, doubled) wait 120 + 30 d / pop generations under
    ``stall="regime"``; BIPOP's short runs, and every run under ``"local"``, 10 + 30 d / pop."""
    seen: list[tuple[int, float, int]] = []
    inner = blackbox._run

    def spy(es, fun, start, out, stop_at, target, wait, *rest):  # noqa: ANN001, ANN002
        seen.append((es.popsize, es.init_scale, wait))
        return inner(es, fun, start, out, stop_at, target, wait, *rest)

    monkeypatch.setattr(blackbox, "_run", spy)
    minimize(rastrigin, 2, 6000, seed=2, stall=stall, large="ddim")
    assert any(s < 1.0 for _, s, _ in seen) and sum(s == 1.0 for _, s, _ in seen) >= 2
    for pop, scale, wait in seen:
        large = stall == "regime" and scale == 1.0
        assert wait == (120 if large else 10) + int(60 / pop)


def test_stall_regime_keeps_a_stalled_large_run_going() -> None:
    """On a plateau nothing improves after the first generation: with population 6 at
    d = 2 the short rule (patience 20) ends the run after 21 generations; under
    ``"regime"`` it runs until the success rule has shrunk the frame below 1e-12 (117
    generations, before its patience of 130)."""
    flat = lambda x: torch.zeros(x.shape[0], dtype=x.dtype)  # noqa: E731
    local = minimize(flat, 2, 5000, seed=0, restarts=False, stall="local", large="ddim")
    regime = minimize(flat, 2, 5000, seed=0, restarts=False, stall="regime")
    assert minimize(flat, 2, 5000, seed=0, restarts=False, large="ddim").trace == local.trace
    assert local.evaluations == 6 * 21 and 6 * 100 <= regime.evaluations <= 6 * 131


def test_survival_is_validated() -> None:
    with pytest.raises(ValueError, match="survival"):
        minimize(rastrigin, 2, 100, survival="plus")


@pytest.mark.parametrize("survival", ["comma", "elitist"])
def test_survival_comma_only_in_the_large_regime(
    monkeypatch: pytest.MonkeyPatch, survival: str
) -> None:
    """Under ``survival="comma"`` the large-regime runs (the first and the doubled ones,
    initial scale 1) replace their parents by the offspring and their frame's success
    rule targets ``COMMA_TARGET``; BIPOP's short runs, and every run under ``"elitist"``,
    keep (mu + lambda) selection and the target 0.25."""
    seen: list[tuple[float, bool, float]] = []
    inner = blackbox._run

    def spy(es, *args):  # noqa: ANN001, ANN002
        spent = inner(es, *args)
        seen.append((es.init_scale, es.selection, es.state.frame.constants["target"]))
        return spent

    monkeypatch.setattr(blackbox, "_run", spy)
    minimize(rastrigin, 2, 6000, seed=2, survival=survival, large="ddim")
    assert any(s < 1.0 for s, _, _ in seen) and sum(s == 1.0 for s, _, _ in seen) >= 2
    for scale, selection, target in seen:
        comma = survival == "comma" and scale == 1.0
        assert selection is not comma
        assert target == (blackbox.COMMA_TARGET if comma else 0.25)


def test_survival_comma_converges_on_a_sphere() -> None:
    """The non-elitist first run of a 5-d sphere converges only because its success rule
    targets ``COMMA_TARGET`` of offspring above the parents' median: with the elitist
    target 0.25 the same comma run's step size grows without bound."""
    sphere = lambda x: ((x - 1.5) ** 2).sum(1)  # noqa: E731
    res = minimize(sphere, 5, 3750, seed=0, restarts=False, survival="comma")
    assert res.fun < 1e-12
    cfg = blackbox.blackbox_config(5).replace(selection=False, num_steps=200)
    out = blackbox.MinimizeResult(None, math.inf, 0, 0)
    es = blackbox.EvolutionaryDDIM((5,), config=cfg, seed=0)
    blackbox._run(es, sphere, torch.zeros(5, dtype=torch.float64), out, 1600, -math.inf,
                  10**9, 0.25)  # the elitist target on a comma run
    assert out.fun > 1.0 and es.state.frame.sigma > 10.0


def test_default_large_is_gauss_all_only_unbounded_up_to_20_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``large=None`` resolves to ``"gauss-all"`` (the first run Gaussian) for an unbounded
    problem with at most ``GAUSS_ALL_MAX_DIM`` variables and the default rules; with bounds,
    above 20 variables, or with a diffusion-regime rule (``stall="regime"``,
    ``survival="comma"``) every large run is the diffusion's, as before session 11."""
    first: list[str] = []

    def spy_run(es, *args):  # noqa: ANN001, ANN002
        first.append("ddim")
        raise StopIteration

    def spy_gauss(*args):  # noqa: ANN002
        first.append("gauss")
        raise StopIteration

    monkeypatch.setattr(blackbox, "_run", spy_run)
    monkeypatch.setattr(blackbox, "gauss_run", spy_gauss)
    cases = [(dict(dim=20), "gauss"), (dict(dim=21), "ddim"),
             (dict(dim=2, bounds=(-5.0, 5.0)), "ddim"), (dict(dim=2, stall="regime"), "ddim"),
             (dict(dim=2, survival="comma"), "ddim"), (dict(dim=2, large="ddim"), "ddim"),
             (dict(dim=2, large="gauss"), "ddim")]  # fmt: skip
    for kwargs, kind in cases:
        with pytest.raises(StopIteration):
            minimize(rastrigin, budget=1000, **kwargs)
        assert first.pop() == kind, kwargs
    assert blackbox.GAUSS_ALL_MAX_DIM == 20
