"""The one "within target" test the optimiser applies to candidate posts.

A response counts as within t when, rounded to ``RESPONSE_DECIMALS`` of a minute, it
is at most t: exactly the rule of :func:`desktop_app.core.coverage.cover.week_cover`,
so a candidate post the optimiser counts as covering an area is one the coverage
engine counts too (docs/measures.md).
"""

from __future__ import annotations

import numpy as np

from desktop_app.core.coverage.measures import RESPONSE_DECIMALS


def within(response: np.ndarray, target: float) -> np.ndarray:
    """round(r, RESPONSE_DECIMALS) <= target, elementwise."""
    return np.round(np.asarray(response).astype(np.float64), RESPONSE_DECIMALS) <= target
