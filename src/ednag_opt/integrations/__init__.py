"""Integrations of the EDNAG strategy with other optimisation frameworks (pymoo)."""

from .pymoo import EDNAG, EDNAGOutput, restart_seed

__all__ = ["EDNAG", "EDNAGOutput", "restart_seed"]
