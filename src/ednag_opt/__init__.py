"""ednag_opt: evolutionary diffusion-based neural architecture generation (EDNAG)."""

from .strategy import DDIMState, EvolutionaryDDIM

__version__ = "0.1.0"

__all__ = ["EvolutionaryDDIM", "DDIMState", "__version__"]
