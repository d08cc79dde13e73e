"""The response-time distributions the summary's Options chart draws (docs/measures.md).

Two curves per option over whole minutes from 0: the share of population-hours reached
if every unit were free (:func:`response_distribution`), and the same allowing for busy
units, the time to the first *free* armed unit (:func:`busy_distribution`), whose value at
the target is the headline ``population_coverage``. Both are the Coverage view's own
curves (:mod:`desktop_app.core.coverage.series`).
"""

from __future__ import annotations

import math

import numpy as np

from desktop_app.core.coverage.series import cumulative_share, week_busy_curve
from desktop_app.core.coverage.units import raw_hour_weights, units_of
from desktop_app.core.export.context import ExportContext

MAX_MINUTES = 120


def response_distribution(ctx: ExportContext) -> tuple[list[int], dict[str, list[float]]]:
    """Cumulative share of population-hours reached within each whole minute, per option,
    if every unit were free (the all-free curve).

    The grid runs from 0 to twice the target (or the slowest finite response, at most
    MAX_MINUTES); the curve is :func:`~desktop_app.core.coverage.series.cumulative_share`,
    the Coverage view's own.
    """
    cov = ctx.run.coverage
    pop = np.asarray(ctx.inputs.areas["population"], dtype=float)
    # Per hour class with its number of hours: the 168-hour curve without expanding to it.
    responses: dict[str, tuple[np.ndarray, np.ndarray | None]] = {}
    for oid in ctx.option_ids:
        if oid in cov.options:
            o = cov.options[oid]
            r = np.asarray(o.class_response)
            hours = None if o.hour_class is None else np.bincount(o.hour_class, minlength=r.shape[1])
            responses[oid] = (r, hours)
    finite_max = max((float(r.max(where=np.isfinite(r), initial=0.0)) for r, _ in responses.values()), default=0.0)
    top = int(min(MAX_MINUTES, max(2 * ctx.target, math.ceil(finite_max))))
    minutes = list(range(0, top + 1))
    grid = np.arange(top + 1, dtype=float)
    return minutes, {oid: cumulative_share(r, pop, grid, hours).tolist() for oid, (r, hours) in responses.items()}


def busy_distribution(ctx: ExportContext, minutes: list[int]) -> dict[str, list[float]]:
    """Per option, the share of population-hours the first *free* armed unit reaches within
    each of ``minutes``, allowing for busy units: the curve whose value at the target is the
    headline ``population_coverage`` (:func:`~desktop_app.core.coverage.series.week_busy_curve`,
    the Coverage view's busy-unit curve weighted over the week as the measures are)."""
    inputs = ctx.inputs
    pop = np.nan_to_num(np.asarray(inputs.areas["population"], dtype=np.float64))
    weights = getattr(ctx.run.coverage, "hour_weights", None)
    if weights is None:
        weights = raw_hour_weights(inputs)
    grid = np.asarray(minutes, dtype=float)
    deps = inputs.deployments
    by_option = {str(o): g for o, g in deps.groupby("option_id", sort=False)}
    out: dict[str, list[float]] = {}
    for oid in ctx.option_ids:
        if oid not in ctx.run.coverage.options:
            continue
        units = units_of(inputs, by_option.get(oid, deps.iloc[0:0]), oid)
        busy = week_busy_curve(units, np.asarray(weights, dtype=float), pop, grid)
        out[oid] = [float(v) for v in busy]
    return out
