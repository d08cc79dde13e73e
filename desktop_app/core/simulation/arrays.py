"""One option's armed units as plain arrays: what the simulation and its analytic twin read.

Kept free of workbook tables so the engines can be tested on hand-made arrays of a
few units and areas (docs/simulation.md#inputs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from desktop_app.core.coverage.availability import week_classes
from desktop_app.core.workbook.week import HOURS_OF_WEEK


@dataclass(frozen=True)
class SimUnits:
    """Deployments of one option (one row each); every post of a row is a unit.

    - ``response``: (rows, areas) minutes from the call to on scene (authorisation +
      mobilisation + travel), float64.
    - ``busy``: (rows,) long-run share of time busy with other work, q_d in [0, 1].
    - ``posts``: (rows,) units on duty at once, >= 1.
    - ``crew``: (rows,) officers per unit, >= 1.
    - ``active``: (rows, 168) on duty in hour-of-week h.
    """

    response: np.ndarray
    busy: np.ndarray
    posts: np.ndarray
    crew: np.ndarray
    active: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.busy)
        if self.response.ndim != 2 or self.response.shape[0] != n:
            raise ValueError("response must be (deployments, areas)")
        if self.active.shape != (n, HOURS_OF_WEEK):
            raise ValueError("active must be (deployments, 168)")
        if len(self.posts) != n or len(self.crew) != n:
            raise ValueError("posts and crew need one entry per deployment")

    @property
    def n_areas(self) -> int:
        return int(self.response.shape[1])

    def hour_classes(self) -> tuple[np.ndarray, list[np.ndarray]]:
        """Hours of the week with the same rows on duty: see :func:`week_classes`."""
        return week_classes(self.active)
