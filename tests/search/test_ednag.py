import pytest
import torch

from ednag_opt import PRESETS, generate, get_space
from ednag_opt.fitness import CachedFitness
from ednag_opt.strategy.mutation import mutate_rows


def _ops_score(archs):
    """A smooth synthetic NB201 fitness: count of nor_conv_3x3 edges (max 6)."""
    return [str(a).count("nor_conv_3x3") for a in archs]


ops_score = CachedFitness(_ops_score, maximize=True).source  # a function declaring maximize


def test_generate_finds_synthetic_optimum_and_counts_queries():
    res = generate("nas-bench-201", ops_score, seed=0, max_queries=300, target=6)
    assert res.best_fitness == 6
    assert str(res.best_arch).count("nor_conv_3x3") == 6
    assert res.unique_queries == len(res.queries) <= 300
    assert res.total_queries >= res.unique_queries
    assert res.history[-1]["unique_queries"] == res.unique_queries
    top = res.top_k(3)
    assert len({str(a) for a, _ in top}) == len(top)
    assert [f for _, f in top] == sorted([f for _, f in top], reverse=True)
    d = res.to_dict()
    assert d["metadata"]["space"] == "nas-bench-201" and d["best_fitness"] == 6


def test_generate_same_seed_same_result():
    a = generate("transnas-micro", ops_score, seed=3, max_queries=120)
    b = generate("transnas-micro", ops_score, seed=3, max_queries=120)
    assert [(str(x), v) for x, v in a.queries] == [(str(x), v) for x, v in b.queries]


def test_novelty_avoids_wasted_duplicates():
    plain = generate("nas-bench-201", ops_score, seed=0, preset="paper", num_steps=30)
    novel = generate("nas-bench-201", ops_score, seed=0, popsize=30, num_steps=30)
    assert novel.unique_queries > plain.unique_queries
    assert novel.unique_queries >= 0.9 * novel.total_queries


def test_restarts_spend_the_budget():
    res = generate("nas-bench-201", ops_score, seed=1, popsize=10, num_steps=5, max_queries=200)
    assert res.unique_queries == 200
    assert max(r["run"] for r in res.history) >= 2


def test_presets_and_errors():
    assert {"default", "paper", "naive", "fd", "fd-selection"} <= set(PRESETS)
    with pytest.raises(ValueError, match="preset"):
        generate("nas-bench-201", ops_score, preset="best")
    with pytest.raises(ValueError, match="novelty"):
        generate("nas-bench-201", ops_score, novelty="always")
    with pytest.raises(ValueError, match="max_queries"):
        generate("nas-bench-201", ops_score, max_queries=0)
    with pytest.raises(ValueError):
        generate("nas-bench-999", ops_score)


def test_existing_cache_is_reused():
    cache = CachedFitness(ops_score, maximize=True)
    generate(get_space("nas-bench-201"), cache, seed=0, num_steps=5)
    n = cache.unique_queries
    assert n > 0 and cache.maximize


def test_minimisation_direction():
    res = generate("nas-bench-201", _ops_score, seed=0, maximize=False, max_queries=300, target=0)
    assert res.best_fitness == 0 and not res.maximize


def test_mutate_rows_changes_exactly_one_row():
    g = torch.Generator().manual_seed(0)
    mask = torch.ones(6, 5, dtype=torch.bool)
    mask[0, 2:] = False
    x = torch.randn(500, 6, 5, generator=g)
    y = mutate_rows(x, mask, g)
    before = x.masked_fill(~mask, -torch.inf).argmax(-1)
    after = y.masked_fill(~mask, -torch.inf).argmax(-1)
    assert torch.all((before != after).sum(1) == 1)
    assert after[:, 0].max() <= 1


def test_nb101_uses_canonical_graph_keys():
    seen = []

    def edges(archs):
        seen.extend(archs)
        return [a.num_edges for a in archs]

    res = generate("nas-bench-101", edges, seed=0, popsize=10, num_steps=5, maximize=True)
    keys = [k for k, _ in res.cache.history]
    assert all(len(k) == 32 for k in keys)  # graph hashes, not strings
    assert len({a.key for a in seen}) == len(seen)  # one evaluation per isomorphism class


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
@pytest.mark.parametrize("preset", ["default", "paper", "fd"])
def test_generate_on_cuda(preset):
    kw = dict(seed=0, preset=preset, max_queries=200)
    gpu = generate("nas-bench-201", ops_score, device="cuda", **kw)
    cpu = generate("nas-bench-201", ops_score, **kw)
    assert gpu.unique_queries == len(gpu.cache.history) == 200
    assert gpu.best_fitness >= cpu.best_fitness - 1  # same search, float32 GEMMs may differ
    assert all(get_space("nas-bench-201").is_valid(a) for a in gpu.extras["population"])
