"""Real training of NAS-Bench-201 / DARTS architectures on a suite of small real tasks.

See ``docs/training.md``.
"""

from .archs import (
    DARTS_OPS,
    NB201_EDGES,
    NB201_OPS,
    arch_string,
    darts_string,
    is_darts,
    nb201_string,
    parse_darts,
    parse_nb201,
)
from .darts_network import DARTSCell, DARTSNetwork
from .nb201_network import NB201Cell, NB201Network, ResidualReduction
from .networks import build_network, count_flops, count_params, network_cost
from .tasks import HELD_OUT, Task, TaskData, get_task, list_tasks, mnist5k_path, register_task
from .trainer import TrainConfig, TrainResult, evaluate_accuracy, train_architecture

__all__ = [
    "NB201_OPS",
    "NB201_EDGES",
    "DARTS_OPS",
    "parse_nb201",
    "nb201_string",
    "parse_darts",
    "darts_string",
    "is_darts",
    "arch_string",
    "NB201Cell",
    "NB201Network",
    "ResidualReduction",
    "DARTSCell",
    "DARTSNetwork",
    "build_network",
    "count_params",
    "count_flops",
    "network_cost",
    "Task",
    "TaskData",
    "HELD_OUT",
    "get_task",
    "list_tasks",
    "register_task",
    "mnist5k_path",
    "TrainConfig",
    "TrainResult",
    "train_architecture",
    "evaluate_accuracy",
]
