"""The paper's Algorithm 1: schedules, guidance, DDIM step, selection, and the strategy."""

from .config import DDIMConfig, resolve_device, resolve_dtype
from .evolutionary_ddim import EvolutionaryDDIM
from .state import DDIMState, TellResult

__all__ = [
    "DDIMConfig",
    "DDIMState",
    "EvolutionaryDDIM",
    "TellResult",
    "resolve_device",
    "resolve_dtype",
]
