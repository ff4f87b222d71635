import torch

from ednag_opt.strategy.selection import (
    distinct_mask,
    diversity_indices,
    elite_indices,
    roulette_indices,
    select,
)


def test_distinct_mask_by_value_and_key():
    x = torch.tensor([[1.0], [2.0], [1.0], [3.0]])
    assert distinct_mask(x).tolist() == [True, True, False, True]
    assert distinct_mask(x, keys=["a", "a", "b", "b"]).tolist() == [True, False, True, False]


def test_elites_are_best_distinct():
    scores = torch.tensor([5.0, 9.0, 9.0, 1.0, 7.0])
    cand = torch.tensor([True, True, False, True, True])  # index 2 duplicates index 1
    assert elite_indices(scores, 3, cand).tolist() == [1, 4, 0]


def test_diversity_farthest_point_among_fit():
    # points on a line; reference set {0}; fit half of the candidates = the 3 best scored
    x = torch.tensor([[0.0], [1.0], [2.0], [10.0], [9.0], [50.0]])
    scores = torch.tensor([10.0, 9.0, 8.0, 7.0, 6.0, -100.0])
    cand = torch.tensor([False, True, True, True, True, True])
    picks = diversity_indices(x, scores, 2, cand, torch.tensor([0]), fit_share=0.6)
    # fit = {1, 2, 3} (best three of five candidates); farthest from 0 is 3, then 2
    assert picks.tolist() == [3, 2]


def test_roulette_without_replacement_and_zero_weights():
    g = torch.Generator().manual_seed(0)
    lg = torch.tensor([0.0, -torch.inf, 0.0, 0.0])
    cand = torch.ones(4, dtype=torch.bool)
    picks = roulette_indices(lg, 3, cand, g)
    assert sorted(picks.tolist()) == [0, 2, 3]
    picks = roulette_indices(lg, 4, cand, g)
    assert sorted(picks.tolist()) == [0, 1, 2, 3]


def test_roulette_frequencies_follow_weights():
    g = torch.Generator().manual_seed(1)
    lg = torch.log(torch.tensor([1.0, 3.0]))
    cand = torch.ones(2, dtype=torch.bool)
    first = [roulette_indices(lg, 1, cand, g).item() for _ in range(4000)]
    share = sum(first) / len(first)
    assert 0.72 < share < 0.78


def test_select_composition():
    g = torch.Generator().manual_seed(0)
    x = torch.arange(20.0).unsqueeze(1)
    scores = torch.arange(20.0)  # higher index = better
    idx = select(x, scores, scores, 10, g, elite_frac=0.2, diversity_frac=0.2)
    assert idx.numel() == 10 and len(set(idx.tolist())) == 10
    assert idx[:2].tolist() == [19, 18]  # elites first
    trunc = select(x, scores, scores, 10, g, 0.0, 0.0, roulette=False)
    assert sorted(trunc.tolist()) == list(range(10, 20))


def test_select_prefers_distinct_keys():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(8, 2, generator=g)
    scores = torch.tensor([9.0, 9.0, 9.0, 9.0, 1.0, 2.0, 3.0, 4.0])
    keys = ["a", "a", "a", "a", "b", "c", "d", "e"]
    idx = select(x, scores, scores, 4, g, 0.25, 0.0, roulette=False, keys=keys)
    chosen = [keys[i] for i in idx.tolist()]
    assert len(set(chosen)) == 4 and chosen[0] == "a"


def test_distinct_mask_projection_ties_are_checked_exactly():
    # rows with equal projections on linspace(1, 2) but different values stay distinct
    x = torch.tensor([[0.0, 2.0, 0.0], [1.0, 0.0, 1.0], [0.0, 2.0, 0.0], [3.0, 0.0, 0.0]])
    assert distinct_mask(x).tolist() == [True, True, False, True]


def test_bounds_map_keeps_tiny_latents_off_the_centre():
    from ednag_opt.strategy.bounds import to_latent, to_problem

    lo, hi = torch.tensor([-5.0]), torch.tensor([5.0])
    z = torch.tensor([1e-9])
    x = to_problem(z, lo, hi)
    assert x.item() != 0.0 and abs(x.item() - 5e-9) < 1e-12
    assert torch.allclose(to_latent(torch.tensor([2.5]), lo, hi), torch.tensor([0.5]))
