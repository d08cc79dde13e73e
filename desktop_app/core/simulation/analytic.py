"""The analytic figures the simulation is set beside: independent busy units.

F_ah(t) = 1 - prod over active d with r_da <= t of q_d ^ n_d, and G_ah(t) the
probability that the free units within t carry at least two officers
(docs/measures.md). Weighted by the simulation's own incident distribution
pi_ah = b_h w_a / sum (b x w), these are what the simulation estimates when units
are rarely committed to other armed incidents (docs/simulation.md#analytic).
"""

from __future__ import annotations

import numpy as np

from desktop_app.core.coverage.availability import all_busy_within, within
from desktop_app.core.simulation.arrays import SimUnits


def first_free_within(units: SimUnits, rows: np.ndarray, target: float) -> np.ndarray:
    """F_a(t) per area for the active deployment rows ``rows``."""
    return 1.0 - all_busy_within(units.response, units.busy, units.posts, rows, target)


def two_officers_within(units: SimUnits, rows: np.ndarray, target: float) -> np.ndarray:
    """G_a(t) per area: free units within t carry >= 2 officers between them.

    Walks the units keeping, per area, the probability of 0 and of exactly 1 free
    officer so far; each free unit adds its crew. This is the contract's closed form
    (A and B sets) computed without dividing by q, so q = 0 needs no special case.
    """
    p0 = np.ones(units.n_areas)  # no free officer yet
    p1 = np.zeros(units.n_areas)  # exactly one free officer
    for d in rows:
        reach = within(units.response[d], target)
        q = float(units.busy[d])
        for _ in range(int(units.posts[d])):
            if int(units.crew[d]) >= 2:
                new0, new1 = p0 * q, p1 * q
            else:
                new0, new1 = p0 * q, p1 * q + p0 * (1.0 - q)
            p0 = np.where(reach, new0, p0)
            p1 = np.where(reach, new1, p1)
    return 1.0 - p0 - p1


def incident_distribution(area_weights: np.ndarray, hour_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalised area and hour-of-week probabilities (pi_ah = area_a x hour_h)."""
    a = np.asarray(area_weights, dtype=np.float64)
    b = np.asarray(hour_weights, dtype=np.float64)
    if a.sum() <= 0 or b.sum() <= 0:
        raise ValueError("the incident distribution has no weight: every area or hour weighs 0")
    return a / a.sum(), b / b.sum()


def analytic_cover(
    units: SimUnits, area_weights: np.ndarray, hour_weights: np.ndarray, target: float, backup_target: float,
) -> tuple[float, float]:
    """(sum pi_ah F_ah(T), sum pi_ah G_ah(T_b)): the analytic share within target and backup."""
    pa, pb = incident_distribution(area_weights, hour_weights)
    hour_class, rows = units.hour_classes()
    first = backup = 0.0
    for c, active in enumerate(rows):
        share = float(pb[hour_class == c].sum())
        if share == 0.0:
            continue
        first += share * float(pa @ first_free_within(units, active, target))
        backup += share * float(pa @ two_officers_within(units, active, backup_target))
    return first, backup
