"""Chart series drawn from a coverage result: the response-time distributions and the week grid.

The Coverage view's distribution chart and the summary workbook's Coverage chart plot
the same curve: the share of population-hours reached within m minutes, for each m of
a grid (docs/measures.md). :func:`cumulative_share` is that curve, for both, if every
unit were free; :func:`first_free_curves` is the same curve allowing for busy units
(the time until the first *free* unit arrives), so the two can be drawn together and a
user sees how much of the cover is real. :func:`week_grid` lays an hour-of-week series
out as the 7 x 24 heat map cover tools show.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from desktop_app.core.coverage.cover import first_free_masses, week_cover
from desktop_app.core.coverage.units import HOURS_OF_WEEK, OptionUnits

#: The longest busy-unit response curve drawn (minutes): the summary's Options chart runs
#: to twice the target or the slowest response, at most this.
BUSY_CURVE_MINUTES = 120


def busy_curve_from_masses(minutes: np.ndarray, mass: np.ndarray, population: np.ndarray,
                           class_weight: np.ndarray, top: int = BUSY_CURVE_MINUTES) -> np.ndarray:
    """The week's busy-unit curve on the whole minutes 0..``top`` from a pair list's first-free masses.

    ``mass`` is :func:`~desktop_app.core.coverage.cover.first_free_masses` with the hour
    classes' weights, over a list that holds every pair within ``top`` minutes (pairs
    beyond it count for no grid point). A pair at m counts from the first whole minute at
    or above m on, as in :func:`week_busy_curve`; the masses are divided by the classes'
    total weight, so the curve is the weighted average over the week.
    """
    pop_total = float(np.asarray(population, dtype=float).sum())
    weight_total = float(np.asarray(class_weight, dtype=float).sum())
    if pop_total <= 0 or weight_total <= 0:
        return np.zeros(top + 1)
    bins = np.minimum(np.ceil(np.asarray(minutes, dtype=float)), top + 1).astype(np.int64)
    hist = np.bincount(bins, weights=mass, minlength=top + 2)
    return np.cumsum(hist[: top + 1]) / (pop_total * weight_total)


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


def week_grid(hourly: np.ndarray) -> np.ndarray:
    """An hour-of-week series (168 values, hour 0 = Monday 00:00) as 7 days x 24 hours.

    Row d, column h is hour 24 d + h of the week (docs/measures.md#the-week): the layout
    of the week heat map, Monday at the top.
    """
    values = np.asarray(hourly, dtype=float)
    if values.shape != (HOURS_OF_WEEK,):
        raise ValueError(f"an hour-of-week series has {HOURS_OF_WEEK} values, not {values.size}")
    return values.reshape(7, 24)


@dataclass(frozen=True)
class FirstFreeCurves:
    """Cumulative shares of population reached within each minute of ``minutes``, per hour class.

    ``busy[c]`` allows for busy units (the first free unit's arrival, F_a(m) averaged over
    residents); ``all_free[c]`` is the same if every unit were free ([R0_a <= m]).
    ``hour_class[h]`` is the class of hour h of the week and ``class_weight[c]`` its hour
    weight b summed over its hours (docs/measures.md#the-week).
    """

    minutes: np.ndarray
    hour_class: np.ndarray
    class_weight: np.ndarray
    busy: np.ndarray  # (C, G)
    all_free: np.ndarray  # (C, G)

    def week(self) -> tuple[np.ndarray, np.ndarray]:
        """(busy, all-free) over the week: the classes weighted by their hour weights."""
        w = self.class_weight / self.class_weight.sum()
        return w @ self.busy, w @ self.all_free

    def at_hour(self, hour: int) -> tuple[np.ndarray, np.ndarray]:
        """(busy, all-free) in hour ``hour`` of the week."""
        c = int(self.hour_class[hour])
        return self.busy[c], self.all_free[c]


def first_free_curves(units: OptionUnits, hour_weights: np.ndarray, population: np.ndarray,
                      minutes: np.ndarray) -> FirstFreeCurves:
    """The response-time distribution allowing for busy units, beside the all-free one.

    For each hour class c and grid value m: busy = sum_a w_a F_ac(m) / sum_a w_a, where
    F_ac(m) = 1 - prod over active units within m of q^n is the chance a free unit
    arrives within m; all_free = sum_a w_a [R0_ac <= m] / sum_a w_a. F is built from the
    same first-free-unit masses as the median and 90th percentile
    (:func:`desktop_app.core.coverage.cover.first_free_masses`), one class at a time, so at
    the target the week's curve is ``population_coverage`` and ``population_coverage_all_free``.
    ``minutes`` must be ascending and finite.
    """
    grid = np.asarray(minutes, dtype=float)
    pop = np.asarray(population, dtype=float)
    top = float(grid.max()) if grid.size else 0.0
    wc = week_cover(units, np.asarray(hour_weights, dtype=float), top, top, cutoff=top, with_cover=False)
    n_classes = wc.class_weight.size
    total = float(pop.sum())
    busy = np.zeros((n_classes, grid.size))
    free = np.zeros((n_classes, grid.size))
    if total <= 0:
        return FirstFreeCurves(grid, wc.hour_class, wc.class_weight, busy, free)
    bins = np.searchsorted(grid, wc.pair_minutes, side="left")  # a pair at m counts from m on
    for c in range(n_classes):
        one_class = np.zeros(n_classes)
        one_class[c] = 1.0
        mass = first_free_masses(replace(wc, class_weight=one_class), units, pop)
        hist = np.bincount(bins, weights=mass, minlength=grid.size + 1)
        busy[c] = np.cumsum(hist[: grid.size]) / total
        free[c] = cumulative_share(wc.response[:, c], pop, grid)
    return FirstFreeCurves(grid, wc.hour_class, wc.class_weight, busy, free)


def week_busy_curve(units: OptionUnits, hour_weights: np.ndarray, population: np.ndarray,
                    minutes: np.ndarray) -> np.ndarray:
    """The week's busy-unit curve alone: :meth:`FirstFreeCurves.week`'s first array.

    The first-free-unit masses are linear in the class weights, so the hour-weighted
    average of the per-class curves is one pass with the classes' shares of the week as
    weights, not one pass per class (the national summary has tens of classes an option).
    """
    grid = np.asarray(minutes, dtype=float)
    pop = np.asarray(population, dtype=float)
    top = float(grid.max()) if grid.size else 0.0
    wc = week_cover(units, np.asarray(hour_weights, dtype=float), top, top, cutoff=top, with_cover=False)
    total = float(pop.sum())
    weight_total = float(wc.class_weight.sum())
    if total <= 0 or weight_total <= 0:
        return np.zeros(grid.size)
    shares = wc.class_weight / weight_total
    mass = first_free_masses(replace(wc, class_weight=shares), units, pop)
    bins = np.searchsorted(grid, wc.pair_minutes, side="left")  # a pair at m counts from m on
    hist = np.bincount(bins, weights=mass, minlength=grid.size + 1)
    return np.cumsum(hist[: grid.size]) / total
