"""Workforce and money measures of an option (docs/measures.md#measures-per-option).

These do not depend on travel times, so they live apart from the coverage
arithmetic: the appraisal and the "add as option" dialog can cost an option
without computing any response times.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.coverage.units import HOURS_OF_WEEK, active_week
from desktop_app.core.model import Parameters

HOURS = 24


def active_hours(start: int, end: int) -> np.ndarray:
    """The 24-hour activity pattern of a shift (docs/workbook-format.md#hours-on-duty-the-week).

    Active in hour h when start <= h < end (start < end), or when h >= start or
    h < end (start > end, wrapping past midnight). start 0 and end 24 is all day;
    an end of 24 is the same as midnight. start == end is rejected by the reader;
    here it is treated as never active so a bad ad-hoc row cannot crash the engine.
    """
    h = np.arange(HOURS)
    start, end = int(start), int(end)
    if start == end:
        return np.zeros(HOURS, dtype=bool)
    if start < end:
        return (h >= start) & (h < end)
    return (h >= start) | (h < end)


def hours_on_duty(start: int, end: int) -> int:
    """Number of hours in the day a shift is active (0..24)."""
    return int(active_hours(start, end).sum())


def officer_split(deployments: pd.DataFrame | None, params: Parameters) -> tuple[float, float]:
    """(officers_required, neighbour_officers): the force's own FTE and the neighbour's.

    Each is sum over d of n_d * crew_size_d * fte_per_247_post * (hours in H_d / 168), the
    first over every asset type but NEIGHBOUR_ARV, the second over NEIGHBOUR_ARV only
    (docs/measures.md#officers-the-forces-own-and-the-neighbours). Why scale by hours: a post on duty 8 hours a day needs
    a third of the officers of a round-the-clock post, before leave, training and
    sickness (the FTE factor); a crew on Friday and Saturday nights only, far fewer.
    Why split: a neighbouring force's crews are paid for under a collaboration
    agreement, not drawn from this force's establishment.
    """
    if deployments is None or len(deployments) == 0:
        return 0.0, 0.0
    fte = deployment_fte(deployments, params)
    neighbour = deployments["asset_type"].astype(str).to_numpy() == "NEIGHBOUR_ARV"
    return float(np.sum(fte[~neighbour])), float(np.sum(fte[neighbour]))


def deployment_fte(deployments: pd.DataFrame, params: Parameters, week_hours: np.ndarray | None = None) -> np.ndarray:
    """Each deployment's officers (FTE): n_d x crew_size_d x fte_per_247_post x hours on duty
    a week / 168 (:func:`officer_split` sums them; the summary's Deployments sheet shows
    them). ``week_hours``: each row's hours on duty a week, when the caller has them."""
    hours = active_week(deployments).sum(axis=1) if week_hours is None else np.asarray(week_hours, dtype=np.float64)
    return (deployments["posts"].to_numpy(dtype=np.float64) * deployments["crew_size"].to_numpy(dtype=np.float64)
            * params.fte_per_247_post * hours / HOURS_OF_WEEK)


def officers_required(deployments: pd.DataFrame | None, params: Parameters) -> float:
    """The force's own armed officers (FTE): see :func:`officer_split`."""
    return officer_split(deployments, params)[0]


def whole_life_cost(one_off: float, annual: float, years: int, discount_rate: float,
                    optimism_bias: float = 0.0) -> float:
    """(1 + optimism_bias) x (one_off + sum over y = 1..Y of annual / (1 + r)^y) (HM Treasury Green Book).

    The one-off cost falls in year 0 (undiscounted); annual costs from year 1. The
    optimism-bias uplift is the Green Book's correction for appraisers' systematic
    under-estimates of cost (docs/appraisal-method.md#green-book-costs).
    """
    one_off = float(one_off) if one_off == one_off else 0.0  # NaN (blank) -> 0
    annual = float(annual) if annual == annual else 0.0
    bias = float(optimism_bias) if optimism_bias == optimism_bias else 0.0
    y = np.arange(1, int(years) + 1, dtype=np.float64)
    return float((1.0 + bias) * (one_off + np.sum(annual / (1.0 + float(discount_rate)) ** y)))


def optimism_uplift(measures: pd.DataFrame, options: pd.DataFrame) -> pd.DataFrame:
    """``measures`` with each option's whole-life cost times (1 + its optimism_bias).

    Options the workbook does not list (ad-hoc ones) carry no bias.
    """
    if "optimism_bias" not in options or "whole_life_cost_gbp" not in measures:
        return measures
    bias = dict(zip(options["option_id"].astype(str), options["optimism_bias"].astype(float), strict=True))
    factor = np.array([1.0 + (bias.get(str(o), 0.0) if bias.get(str(o), 0.0) == bias.get(str(o), 0.0) else 0.0)
                       for o in measures.index])
    if np.all(factor == 1.0):
        return measures
    out = measures.copy()
    out["whole_life_cost_gbp"] = out["whole_life_cost_gbp"].to_numpy(dtype=float) * factor
    return out
