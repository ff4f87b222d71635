"""Black-box test problems: toy functions (and tabular HPO problems)."""

from .toy import PROBLEMS, ToyProblem, get_problem, list_problems

__all__ = ["PROBLEMS", "ToyProblem", "get_problem", "list_problems"]
