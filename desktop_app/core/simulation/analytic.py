"""The analytic figures the simulation is set beside: independent busy units.

F_ah(T) and G_ah(T_b) are the coverage engine's own
(:func:`desktop_app.core.coverage.cover.week_cover`), weighted by the simulation's
incident distribution pi_ah = b_h w_a / sum (b x w) instead of residents. This is
what the simulation estimates when units are rarely committed to other armed
incidents (docs/simulation.md#output).
"""

from __future__ import annotations

import math

import numpy as np

from desktop_app.core.coverage.cover import (
    WeekCover,
    first_free_masses,
    listed_until,
    mixture_quantile,
    week_cover,
)
from desktop_app.core.coverage.units import OptionUnits


def incident_distribution(area_weights: np.ndarray, hour_weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Normalised area and hour-of-week probabilities (pi_ah = area_a x hour_h)."""
    a = np.asarray(area_weights, dtype=np.float64)
    b = np.asarray(hour_weights, dtype=np.float64)
    if a.sum() <= 0 or b.sum() <= 0:
        raise ValueError("the incident distribution has no weight: every area or hour weighs 0")
    return a / a.sum(), b / b.sum()


def analytic_cover(
    units: OptionUnits, area_weights: np.ndarray, hour_weights: np.ndarray, target: float, backup_target: float,
) -> tuple[float, float]:
    """(sum pi_ah F_ah(T), sum pi_ah G_ah(T_b)): the analytic share within target and backup."""
    pa, pb = incident_distribution(area_weights, hour_weights)
    wc = week_cover(units, pb, target, backup_target)
    return float((pa @ wc.cover) @ wc.class_weight), float((pa @ wc.backup) @ wc.class_weight)


def analytic_times(
    units: OptionUnits, area_weights: np.ndarray, hour_weights: np.ndarray, target: float, backup_target: float,
) -> tuple[float, float]:
    """(median, 90th percentile) of minutes to the first free unit over the incident
    distribution pi_ah, with units busy independently: the analytic twins of the
    simulated times (the appraisal's are over residents, docs/simulation.md#model).

    The coverage engine's mixture quantiles with the incident weights in place of
    residents: the pair list is lengthened (doubling) until both are reached, or every
    pair is listed and an unreached one is infinite (no free unit for that share of calls).
    """
    pa, pb = incident_distribution(area_weights, hour_weights)

    def answer(wc: WeekCover) -> tuple[list[float | None], bool]:
        total = float(wc.class_weight.sum())  # pa sums to 1
        found = [mixture_quantile(wc.pair_minutes, first_free_masses(wc, units, pa), total, q) for q in (0.5, 0.9)]
        return found, any(v is None for v in found)

    _wc, found = listed_until(week_cover(units, pb, target, backup_target), units, answer)
    median, p90 = (math.inf if v is None else float(v) for v in found)
    return median, p90
