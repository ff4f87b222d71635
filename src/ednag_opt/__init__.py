"""ednag_opt: evolutionary diffusion-based neural architecture generation (EDNAG)."""

__version__ = "0.2.0"

from .search import PRESETS, SEARCHERS, SearchResult, generate, search  # noqa: E402
from .spaces import get_space, list_spaces  # noqa: E402
from .strategy import DDIMConfig, DDIMState, EvolutionaryDDIM  # noqa: E402

__all__ = [
    "DDIMConfig",
    "DDIMState",
    "EvolutionaryDDIM",
    "PRESETS",
    "SEARCHERS",
    "SearchResult",
    "generate",
    "get_space",
    "list_spaces",
    "search",
    "__version__",
]
