"""Black-box test problems: toy functions, their pymoo views, and tabular HPO problems."""

from .hpo import HPOProblem, HPOPymooProblem, get_hpo_problem, list_hpo_problems
from .pymoo_problems import ToyPymooProblem, VariableEncoding, as_pymoo_problem
from .toy import PROBLEMS, ToyProblem, get_problem, list_problems

__all__ = [
    "PROBLEMS",
    "ToyProblem",
    "get_problem",
    "list_problems",
    "ToyPymooProblem",
    "VariableEncoding",
    "as_pymoo_problem",
    "HPOProblem",
    "HPOPymooProblem",
    "get_hpo_problem",
    "list_hpo_problems",
]
