"""Chart series drawn from a coverage result: the one response-time distribution.

The Coverage view's distribution chart and the summary workbook's Coverage chart plot
the same curve: the share of population-hours reached within m minutes, for each m of
a grid (docs/measures.md). :func:`cumulative_share` is that curve, for both.
"""

from __future__ import annotations

import numpy as np


def cumulative_share(response: np.ndarray, population: np.ndarray, minutes: np.ndarray,
                     hours: np.ndarray | None = None) -> np.ndarray:
    """Share of population-weighted area-hours reached within each value of ``minutes``.

    ``response`` is areas x hours (or one value per area); each area-hour weighs its
    area's population. ``minutes`` must be ascending. An area-hour with response r is
    reached within m exactly when r <= m, so each one is counted in the first grid bin
    at or above it (``searchsorted``) and the bins are accumulated: no sort of the
    856,000 area-hours of a national option (a sort took 0.2-0.3 s). Area-hours with no
    armed cover (inf) or beyond the grid are never reached, so a curve may stay below 1.
    Each bin's weights are summed in area-hour order, so whole-number populations give
    exact shares.

    ``hours`` (one whole number per column) says how many hours of the week each column
    stands for, so a coverage result's hour classes (``class_response``, a few columns)
    give the same curve as its 168-hour expansion without building it.
    """
    r = np.asarray(response)
    if r.ndim == 1:
        r = r[:, None]
    grid = np.asarray(minutes, dtype=float)
    pop = np.asarray(population, dtype=float)
    per_column = np.ones(r.shape[1]) if hours is None else np.asarray(hours, dtype=float)
    total = float(pop.sum()) * float(per_column.sum())
    if total <= 0:
        return np.zeros(len(grid))
    bins = np.searchsorted(grid, r.ravel(), side="left")  # inf and NaN land past the grid
    hist = np.bincount(bins, weights=np.multiply.outer(pop, per_column).ravel(), minlength=len(grid) + 1)
    return np.cumsum(hist[: len(grid)]) / total
