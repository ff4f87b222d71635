"""Surrogate fitness sources: pretrained predictors and lookup-table cost models.

One module per benchmark; this file only re-exports their public names.
"""

from ednag_opt.fitness.predictors.ofa import OFAAccuracyPredictor, load_ofa_state_dict
from ednag_opt.fitness.predictors.ofa_latency import LatencyConstrained, OFALatency

__all__ = ["OFAAccuracyPredictor", "load_ofa_state_dict", "OFALatency", "LatencyConstrained"]
