"""The paper's Algorithm 1: schedules, guidance, DDIM step, selection, and the strategy."""

from .evolutionary_ddim import EvolutionaryDDIM
from .state import DDIMState

__all__ = ["EvolutionaryDDIM", "DDIMState"]
