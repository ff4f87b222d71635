"""Named EDNAG configurations (presets) and how explicit options override them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..strategy import DDIMConfig
from .pair_guide import FEATURES

__all__ = ["DATA", "ESTIMATES", "NOVELTY", "PRESETS", "STARTS", "EDNAGPreset", "resolve_preset"]

NOVELTY = ("parent", "mutate", "denoise", "toward", False)
DATA = ("population", "archive")
STARTS = ("random", "balanced", "auto")
ESTIMATES = ("latent", "decoded")
#: ``warm_restarts`` besides True / False: restarts from forward-process draws of the elites
#: (``"renoised"``), or so only where the budget-aware schedule lengthens the runs (``"auto"``).
WARM = ("renoised", "auto")


@dataclass(frozen=True)
class EDNAGPreset:
    """A named EDNAG configuration: the strategy's hyperparameters and the novelty move."""

    strategy: DDIMConfig = field(default_factory=DDIMConfig)
    novelty: str | bool = "parent"
    diffusion: bool = True
    data: str = "population"
    guide: bool = False
    candidates: int = 16
    runs: int = 0
    start: str = "random"
    features: str = "onehot"
    renoise: int | str = 0
    estimate: str = "latent"
    warm_restarts: bool | str = False

    def __post_init__(self) -> None:
        if self.features not in FEATURES:
            raise ValueError(f"features must be one of {FEATURES}, got {self.features!r}")
        if self.estimate not in ESTIMATES:
            raise ValueError(f"estimate must be one of {ESTIMATES}, got {self.estimate!r}")
        if self.start not in STARTS:
            raise ValueError(f"start must be one of {STARTS}, got {self.start!r}")
        if self.data not in DATA:
            raise ValueError(f"data must be one of {DATA}, got {self.data!r}")
        if self.novelty not in NOVELTY:
            raise ValueError(f"novelty must be one of {NOVELTY}, got {self.novelty!r}")
        if not isinstance(self.diffusion, bool):
            raise TypeError(f"diffusion must be True or False, got {self.diffusion!r}")
        if not self.diffusion and self.novelty != "parent":
            raise ValueError("diffusion=False needs novelty='parent' (the move that remains)")
        if not isinstance(self.guide, bool):
            raise TypeError(f"guide must be True or False, got {self.guide!r}")
        w = self.warm_restarts
        if not isinstance(w, bool) and w not in WARM:
            raise TypeError(f"warm_restarts must be True, False or one of {WARM}, got {w!r}")
        if w and self.data != "population":
            raise ValueError(f"warm_restarts={w!r} needs data='population' (the archive's x0 "
                             "already averages over every query)")  # fmt: skip
        if self.guide and (self.novelty != "parent" or self.data != "population"):
            raise ValueError("guide=True needs novelty='parent' and data='population'")
        c = self.candidates
        if isinstance(c, bool) or not isinstance(c, int) or c < 1:
            raise ValueError(f"candidates must be an integer >= 1, got {c!r}")
        r = self.runs
        if isinstance(r, bool) or not isinstance(r, int) or r < 0:
            raise ValueError(f"runs must be an integer >= 0 (0: fixed steps), got {r!r}")
        k = self.renoise
        if k != "auto" and (isinstance(k, bool) or not isinstance(k, int) or k < 0):
            raise ValueError(f"renoise must be an integer >= 0 or 'auto', got {k!r}")
        if k != "auto" and k > 0 and not (self.guide and self.diffusion):
            raise ValueError(f"renoise={k} draws need the guided diffusion (guide=True and "
                             "diffusion=True); this configuration has no guided step")  # fmt: skip


_PAPER = DDIMConfig(schedule="cosine", sigma=0.8, fitness_map="energy")

#: Named configurations. ``"default"`` is ours: N=10, T=30, model-guided denoising
#: (``search.guided``: each particle takes the best new of 16 diffusion draws and 16 repair
#: moves under a ridge model of the queries so far), duplicates repaired by parent
#: tournament, and a budget-aware schedule (``runs=10``: with a budget B each diffusion run
#: lasts T = max(30, ceil(B / (10 N))) steps, see :func:`budget_steps`; T = 30 up to
#: B = 3,000). On those small budgets (where the schedule keeps T = 30) the first generation
#: of each run is a balanced design (``start="auto"``, :func:`~.guided.balanced_start`:
#: every choice of every row spread evenly over the N particles, the same noise values);
#: beyond them it is the diffusion's noise as is, so the large-budget runs are unchanged.
#: On the same small budgets each particle also chooses among 16 draws of the diffusion's
#: forward process from its denoised estimate at random noise levels (``renoise="auto"``,
#: :func:`~.guided.renoised_draws`; session 16). ``"no-renoise"`` is the default without
#: them (the default of sessions 8-15: the ablation of that change).
#: ``"random-start"`` is the default with the random first generation at every budget (the
#: default of sessions 6 and 7). ``"fixed-steps"`` is the default of session 5: T = 30
#: whatever the budget, random first generation (the schedule's ablation).
#: ``"repair-only"`` is the default with the diffusion
#: switched off (only the repair proposals remain, under the same model): the ablation
#: that shows what the diffusion contributes. ``"unguided"`` is the former default (no
#: model: the diffusion's sample as is, duplicates replaced by a tournament parent mutated
#: in one row) and
#: ``"unguided-repair-only"`` its ablation. ``"paper"`` is the configuration of the EDNAG
#: paper and its reference code (N=30, T=100, cosine schedule, sigma 0.8, energy map, no
#: novelty); its ablations are ``"naive"`` (plain diffusion evolution) and ``"fd"``
#: (fitness-guided denoising without selection); ``"fd-selection"`` is the paper's full
#: method, named for the ablation ladder. ``"naive"`` uses the identity map, which needs
#: non-negative fitness (accuracies).
_OURS = DDIMConfig(popsize=10, num_steps=30)
PRESETS: dict[str, EDNAGPreset] = {
    "default": EDNAGPreset(_OURS, "parent", guide=True, runs=10, start="auto", renoise="auto"),
    "no-renoise": EDNAGPreset(_OURS, "parent", guide=True, runs=10, start="auto"),
    "random-start": EDNAGPreset(_OURS, "parent", guide=True, runs=10),
    "fixed-steps": EDNAGPreset(_OURS, "parent", guide=True),
    "repair-only": EDNAGPreset(_OURS, "parent", diffusion=False, guide=True, runs=10,
                               start="auto"),  # fmt: skip
    "unguided": EDNAGPreset(_OURS, "parent"),
    "unguided-repair-only": EDNAGPreset(_OURS, "parent", diffusion=False),
    "archive": EDNAGPreset(_OURS, "denoise", data="archive"),
    "paper": EDNAGPreset(_PAPER, False),
    "fd-selection": EDNAGPreset(_PAPER, False),
    "fd": EDNAGPreset(DDIMConfig(schedule="cosine", fitness_map="energy", selection=False), False),
    "naive": EDNAGPreset(
        DDIMConfig(schedule="cosine", fitness_map="identity", selection=False), False
    ),
}


def resolve_preset(
    preset: str | EDNAGPreset,
    novelty: Any,
    popsize: Any,
    num_steps: Any,
    diffusion: Any = None,
    data: Any = None,
    guide: Any = None,
    candidates: Any = None,
    runs: Any = None,
    start: Any = None,
    features: Any = None,
    renoise: Any = None,
    estimate: Any = None,
    warm_restarts: Any = None,
    **strategy: Any,
) -> EDNAGPreset:
    """The preset with explicit options applied (unknown strategy options raise); an
    explicit ``num_steps`` fixes T unless ``runs`` is given too."""
    if isinstance(preset, str):
        if preset not in PRESETS:
            raise ValueError(f"unknown preset {preset!r}; choose one of {sorted(PRESETS)}")
        preset = PRESETS[preset]
    elif not isinstance(preset, EDNAGPreset):
        raise TypeError(f"preset must be a name or an EDNAGPreset, got {type(preset).__name__}")
    sizes = {"popsize": popsize, "num_steps": num_steps}
    changes = {**{k: v for k, v in sizes.items() if v is not None}, **strategy}
    if "maximize" in changes:
        raise TypeError("give maximize= to search(), not as a strategy option")
    cfg = preset.strategy.replace(**changes) if changes else preset.strategy
    novelty = preset.novelty if novelty is None else novelty
    data = preset.data if data is None else data
    if guide is None:  # another move or x0 data switches the preset's guide off
        guide = preset.guide and novelty == "parent" and data == "population"
    if runs is None:
        runs = 0 if num_steps is not None else preset.runs
    return EDNAGPreset(
        cfg,
        novelty,
        preset.diffusion if diffusion is None else diffusion,
        data,
        guide,
        preset.candidates if candidates is None else candidates,
        runs,
        preset.start if start is None else start,
        preset.features if features is None else features,
        preset.renoise if renoise is None else renoise,
        preset.estimate if estimate is None else estimate,
        preset.warm_restarts if warm_restarts is None else warm_restarts,
    )
