"""Array building blocks shared by the optimiser and the simulation.

Both work on one option's units (:class:`desktop_app.core.coverage.units.OptionUnits`
or the simulation's plain arrays) hour class by hour class, where an hour class is a
set of hours of the week with the same units on duty (docs/measures.md#busy-units).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from desktop_app.core.coverage.measures import RESPONSE_DECIMALS
from desktop_app.core.model import ForceInputs

#: A response "exactly on target" counts as within it (float32 storage noise aside).
HALF_STEP = 0.5 * 10.0 ** (-RESPONSE_DECIMALS)


def week_classes(active: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """Group the 168 hours by which rows are on duty.

    ``active`` is (rows, 168) bool. Returns ``hour_class`` (168 ints, classes numbered
    in order of first appearance, so results never depend on byte order) and per class
    the indices of its on-duty rows. A week has a few shift patterns, so the per-class
    work is done a handful of times rather than 168.
    """
    hours = active.shape[1]
    if active.shape[0] == 0:
        return np.zeros(hours, dtype=np.int64), [np.zeros(0, dtype=np.int64)]
    packed = np.packbits(active.T, axis=1)
    _, first, inverse = np.unique(packed, axis=0, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first))
    hour_class = rank[inverse.ravel()].astype(np.int64)
    rows = [np.flatnonzero(active[:, int(h)]) for h in np.sort(first)]
    return hour_class, rows


def float32_threshold(limit: float) -> np.float32:
    """The largest float32 v with v <= ``limit`` (as float64), so ``x32 <= v`` iff ``float64(x32) <= limit``.

    Comparing float32 travel times against it needs no float64 copy of a
    sites x areas matrix (nationally 285 MB and most of a second).
    """
    v = np.float32(limit)
    if float(v) > limit:
        v = np.nextafter(v, np.float32(-np.inf))
    return v


def within(response: np.ndarray, target: float) -> np.ndarray:
    """r <= target, with r rounded to ``RESPONSE_DECIMALS`` as the coverage engine rounds it."""
    response = np.asarray(response)
    if response.dtype == np.float32:
        return response <= float32_threshold(target + HALF_STEP)
    return response.astype(np.float64, copy=False) <= target + HALF_STEP


def all_busy_within(
    response: np.ndarray, busy: np.ndarray, posts: np.ndarray, rows: np.ndarray, target: float
) -> np.ndarray:
    """1 - F_a(t): per area, the probability every unit of ``rows`` within t is busy."""
    out = np.ones(response.shape[1])
    for d in rows.tolist():
        out[within(response[d], target)] *= float(busy[d]) ** int(posts[d])
    return out


def nearest(response: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """R0_a: the quickest response of ``rows`` per area (inf when none is on duty)."""
    if len(rows) == 0:
        return np.full(response.shape[1], np.inf)
    return np.asarray(response[rows].min(axis=0), dtype=np.float64)


def incident_counts(inputs: ForceInputs) -> np.ndarray | None:
    """c_a: Incidents rows per area (None when the workbook has no Incidents rows)."""
    table = getattr(inputs, "incidents", None)
    if table is None or len(table) == 0:
        return None
    index = pd.Index(inputs.areas["area_id"].astype(str))
    codes = index.get_indexer(table["area_id"].astype(str))
    codes = codes[codes >= 0]
    return np.bincount(codes, minlength=len(index)).astype(np.float64)
