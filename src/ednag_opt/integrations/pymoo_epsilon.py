"""A Takahama-Sakai epsilon level kept in the algorithm's state (constrained problems).

The strategy's ``"epsilon"`` handling recomputes its level at every generation from the
violations of the members being ranked (a quantile of the non-zero ones), so the level
shrinks as soon as the population does. Takahama and Sakai's epsilon-constrained methods
instead fix the level once, from the first population, and let it decay on a schedule:

    eps(0) = the ``theta``-quantile of the first population's violations (zeros included),
    eps(p) = eps(0) * (1 - p / until) ** power for progress p < until, 0 from then on,

with p the share of the diffusion done. Members whose violation is at most ``eps(p)``
compare on their objective, the others after them by violation (the epsilon comparison).
The adapter implements it on top of the strategy's feasibility-first ranking: it hands the
strategy the *relaxed* violations ``cv if cv > eps else 0`` of the offspring and, before
each ``tell``, re-relaxes the parents' true violations with the current level (the
strategy keeps the violations it was told, which were relaxed with an older, larger level).

``EpsilonLevel.for_algorithm`` decides where it applies: ``epsilon_control="state"`` on
constrained single-objective problems with only real variables. It is not the default:
on the tuning seeds the fixed level let the diffusion settle outside the feasible region
(docs/results_pymoo.md, session 6); ``"population"`` / None keep the strategy's
per-generation level (the default, bit-identical).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

if TYPE_CHECKING:
    from ednag_opt.integrations.pymoo import EDNAG

__all__ = ["EPSILON_CONTROLS", "EpsilonLevel", "check_control"]

#: ``epsilon_control`` values: ``"state"`` (this module), ``"population"`` (the strategy's
#: per-generation level, the former default)
EPSILON_CONTROLS = ("state", "population")
#: the level's parameters with ``epsilon_control="state"`` (Takahama-Sakai's theta = 0.2 N)
THETA, UNTIL, POWER = 0.2, 0.8, 2.0


def check_control(control: str | None) -> str | None:
    """Validate ``epsilon_control``.

    Args:
        control: None (the preset's choice) or one of ``EPSILON_CONTROLS``.

    Returns:
        ``control`` unchanged.

    Raises:
        ValueError: any other value.
    """
    if control is not None and control not in EPSILON_CONTROLS:
        raise ValueError(f"epsilon_control must be one of {EPSILON_CONTROLS} or None, "
                         f"got {control!r}")  # fmt: skip
    return control


@dataclass
class EpsilonLevel:
    """The level of one run: ``eps0`` is set by the first ``relax`` of each diffusion.

    Attributes:
        theta: quantile of the first population's violations giving ``eps0``, in [0, 1].
        until: share of the diffusion from which the level is 0, in (0, 1].
        power: exponent of the decay, > 0.
        eps0: the level at progress 0 (None before the first population).
    """

    theta: float = THETA
    until: float = UNTIL
    power: float = POWER
    eps0: float | None = None

    def __post_init__(self) -> None:
        if not (0.0 <= self.theta <= 1.0 and 0.0 < self.until <= 1.0 and self.power > 0):
            raise ValueError(f"need 0 <= theta <= 1, 0 < until <= 1, power > 0; got "
                             f"{self.theta}, {self.until}, {self.power}")  # fmt: skip

    def level(self, progress: float) -> float:
        """``eps(progress)``, 0 before ``eps0`` is known or from ``until`` on."""
        if self.eps0 is None or progress >= self.until:
            return 0.0
        return self.eps0 * (1.0 - progress / self.until) ** self.power

    def relax(self, cv: np.ndarray, generation: int, num_steps: int) -> np.ndarray:
        """Relaxed violations of a generation (``eps0`` from it at generation 0).

        Args:
            cv: (N,) true violations >= 0.
            generation: the strategy's generation being told (0: a new diffusion).
            num_steps: the diffusion's length T (progress = generation / T).

        Returns:
            (N,) violations with those at most the current level set to 0.
        """
        cv = np.asarray(cv, dtype=np.float64)
        if generation == 0:
            self.eps0 = float(np.quantile(cv, self.theta)) if cv.size else 0.0
        eps = self.level(generation / num_steps)
        return np.where(cv <= eps, 0.0, cv)

    @staticmethod
    def for_algorithm(algo: EDNAG, problem: Any) -> EpsilonLevel | None:
        """The level ``algo`` uses on ``problem``, or None (the strategy's handling).

        With ``epsilon_control="state"`` on a constrained single-objective problem with
        only real variables: ``algo.config`` switches to feasibility-first ranking
        (applied to the relaxed violations). Otherwise (``"population"`` or None, the
        default) nothing changes.
        """
        enc = algo.encoding
        real = problem.n_obj == 1 and not (enc.mixed or enc.discrete)
        if algo.epsilon_control != "state" or not (problem.has_constraints() and real):
            return None
        algo.config = algo.config.replace(constraint_handling="feasibility")
        return EpsilonLevel(THETA, UNTIL, POWER)  # the module's values at setup

    def tell_violations(self, algo: EDNAG, cv: np.ndarray, first: bool) -> np.ndarray:
        """Relax the offspring's ``cv`` and, unless ``first``, the parents' in the strategy.

        Args:
            algo: the adapter (its ``strategy`` and ``pop``, the parents, in the
                strategy's order).
            cv: (N,) true violations of the offspring.
            first: no parents (the diffusion's first tell).

        Returns:
            (N,) relaxed violations to pass to ``tell``.
        """
        es = algo.strategy
        out = self.relax(cv, es.generation, es.num_steps)
        if not first and es.state.violation is not None:
            par = algo.pop.get("CV")[:, 0].astype(np.float64)
            eps = self.level(es.generation / es.num_steps)
            st = es.state
            st.violation = torch.as_tensor(np.where(par <= eps, 0.0, par),
                                           dtype=st.violation.dtype,
                                           device=st.violation.device)  # fmt: skip
        return out
