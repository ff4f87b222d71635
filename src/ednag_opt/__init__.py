"""ednag_opt: evolutionary diffusion-based neural architecture generation (EDNAG)."""

from .generate import PRESETS, GenerationResult, generate
from .spaces import get_space, list_spaces
from .strategy import DDIMState, EvolutionaryDDIM

__version__ = "0.1.0"

__all__ = [
    "EvolutionaryDDIM",
    "DDIMState",
    "GenerationResult",
    "PRESETS",
    "generate",
    "get_space",
    "list_spaces",
    "__version__",
]
