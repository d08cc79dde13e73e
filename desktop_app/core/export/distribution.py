"""The response-time distributions the summary's Options chart draws (docs/measures.md).

Two curves per option over whole minutes from 0: the share of population-hours reached
if every unit were free (:func:`response_distribution`), and the same allowing for busy
units, the time to the first *free* armed unit (:func:`busy_distribution`), whose value at
the target is the headline ``population_coverage``. Both are the Coverage view's own
curves (:mod:`desktop_app.core.coverage.series`).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from desktop_app.core.coverage.series import BUSY_CURVE_MINUTES, cumulative_share, week_busy_curve
from desktop_app.core.coverage.units import raw_hour_weights, units_of
from desktop_app.core.export.context import ExportContext
from desktop_app.core.threads import map_threads

#: The curves' longest grid (minutes), the coverage engine's own.
MAX_MINUTES = BUSY_CURVE_MINUTES


def response_distribution(ctx: ExportContext) -> tuple[list[int], dict[str, list[float]]]:
    """Cumulative share of population-hours reached within each whole minute, per option,
    if every unit were free (the all-free curve).

    The grid runs from 0 to twice the target (or the slowest finite response, at most
    MAX_MINUTES); the curve is :func:`~desktop_app.core.coverage.series.cumulative_share`,
    the Coverage view's own. Worked out once per export (the busy-unit curves' grid and
    the Options chart both ask; 0.07 s nationally), each caller given its own lists.
    """
    cached = ctx.cache.get("response_distribution")
    if cached is None:
        cached = ctx.cache["response_distribution"] = _response_distribution(ctx)
    minutes, shares = cached
    return list(minutes), {oid: list(v) for oid, v in shares.items()}


def _response_distribution(ctx: ExportContext) -> tuple[list[int], dict[str, list[float]]]:
    """:func:`response_distribution`, computed."""
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


_PREFETCH = "busy_distribution"


def start_busy_distribution(ctx: ExportContext) -> None:
    """Start computing :func:`busy_distribution` on a background thread.

    It is numpy work (the GIL released for most of it) and the sheets written before the
    Options chart needs it are Python work, so on a second core it costs nothing in wall
    time (nationally 1.7 s of the export). :func:`busy_distribution` collects it.
    """
    if ctx.run.coverage is None or not ctx.run.coverage.options:
        return
    minutes, _shares = response_distribution(ctx)
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="busy-curves")
    ctx.cache[_PREFETCH] = (list(minutes), pool.submit(_busy_distribution, ctx, list(minutes)))
    pool.shutdown(wait=False)


def busy_distribution(ctx: ExportContext, minutes: list[int]) -> dict[str, list[float]]:
    """Per option, the busy-unit curve (see :func:`_busy_distribution`): the one
    :func:`start_busy_distribution` began, when it was begun for these minutes."""
    started = ctx.cache.get(_PREFETCH)
    if started is not None and started[0] == list(minutes):
        result: dict[str, list[float]] = started[1].result()
        return result
    return _busy_distribution(ctx, minutes)


def _busy_distribution(ctx: ExportContext, minutes: list[int]) -> dict[str, list[float]]:
    """Per option, the share of population-hours the first *free* armed unit reaches within
    each of ``minutes``, allowing for busy units: the curve whose value at the target is the
    headline ``population_coverage`` (:func:`~desktop_app.core.coverage.series.week_busy_curve`,
    the Coverage view's busy-unit curve weighted over the week as the measures are).

    The coverage engine gives each option this curve with its measures when asked
    (``OptionCoverage.busy_curve``, the appraisal's own run); otherwise it is computed here.
    """
    oids = [oid for oid in ctx.option_ids if oid in ctx.run.coverage.options]
    ready = [ctx.run.coverage.options[oid].busy_curve for oid in oids]
    if minutes == list(range(len(minutes))) and all(c is not None and len(c) >= len(minutes) for c in ready):
        return {oid: [float(v) for v in c[: len(minutes)]] for oid, c in zip(oids, ready, strict=True)
                if c is not None}
    inputs = ctx.inputs
    pop = np.nan_to_num(np.asarray(inputs.areas["population"], dtype=np.float64))
    weights = getattr(ctx.run.coverage, "hour_weights", None)
    if weights is None:
        weights = raw_hour_weights(inputs)
    grid = np.asarray(minutes, dtype=float)
    deps = inputs.deployments
    by_option = {str(o): g for o, g in deps.groupby("option_id", sort=False)}
    hour_weights = np.asarray(weights, dtype=float)

    def curve(oid: str) -> list[float]:
        units = units_of(inputs, by_option.get(oid, deps.iloc[0:0]), oid)
        return [float(v) for v in week_busy_curve(units, hour_weights, pop, grid)]

    # Each option's curve is independent numpy work, so the options share the machine's
    # cores (nationally, 10 options to 120 minutes: 3.0 s on one core, 1.75 s on two).
    return dict(zip(oids, map_threads(curve, oids, "busy-curve"), strict=True))
