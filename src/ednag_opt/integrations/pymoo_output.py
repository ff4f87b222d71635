"""Display columns of the pymoo adapter ``EDNAG`` (``integrations.pymoo``)."""

from __future__ import annotations

from typing import Any

from pymoo.util.display.column import Column
from pymoo.util.display.single import SingleObjectiveOutput

__all__ = ["EDNAGOutput"]


class EDNAGOutput(SingleObjectiveOutput):
    """pymoo's single-objective columns plus the diffusion's restart ``run``, timestep ``t``
    and ``spread``: the population's mean standard deviation in the unit-scaled box."""

    def __init__(self) -> None:
        super().__init__()
        self.run = Column("run", width=4)
        self.t = Column("t", width=5)
        self.spread = Column("spread", width=10)

    def initialize(self, algorithm: Any) -> None:
        super().initialize(algorithm)
        self.columns += [self.run, self.t, self.spread]

    def update(self, algorithm: Any) -> None:
        super().update(algorithm)
        es, enc = algorithm.strategy, algorithm.encoding
        self.run.set(algorithm.restarts)
        self.t.set(es.timestep)
        u = es.population
        if u is not None:  # spread in the problem's box scaled to [0, 1]
            unit = (u.cpu().numpy() - enc.lower) / (enc.upper - enc.lower)
            self.spread.set(float(unit.std(axis=0).mean()))
