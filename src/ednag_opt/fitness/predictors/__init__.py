"""Surrogate fitness sources: pretrained predictors and lookup-table cost models.

One module per benchmark; this file only re-exports their public names.
"""

from ednag_opt.fitness.predictors.meta_table import read_meta_table, task_arch_targets
from ednag_opt.fitness.predictors.ofa import OFAAccuracyPredictor, load_ofa_state_dict
from ednag_opt.fitness.predictors.ofa_latency import LatencyConstrained, OFALatency
from ednag_opt.fitness.predictors.prior_tasks import prior_from_names, prior_tables
from ednag_opt.fitness.predictors.surrogate import FEATURES, ArchSurrogate
from ednag_opt.fitness.predictors.transfer import AdaptedSurrogate, PriorSurrogate
from ednag_opt.fitness.predictors.transferable import TransferableFitness, TransferablePredictor

__all__ = [
    "OFAAccuracyPredictor",
    "load_ofa_state_dict",
    "OFALatency",
    "LatencyConstrained",
    "ArchSurrogate",
    "FEATURES",
    "TransferablePredictor",
    "TransferableFitness",
    "read_meta_table",
    "task_arch_targets",
    "PriorSurrogate",
    "AdaptedSurrogate",
    "prior_tables",
    "prior_from_names",
]
