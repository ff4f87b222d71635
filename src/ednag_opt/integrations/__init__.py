"""Integrations of the EDNAG strategy with other optimisation frameworks (pymoo)."""

from .pymoo import EDNAG, EDNAGOutput, restart_seed
from .pymoo_encoding import VariableEncoding

__all__ = ["EDNAG", "EDNAGOutput", "VariableEncoding", "restart_seed"]
